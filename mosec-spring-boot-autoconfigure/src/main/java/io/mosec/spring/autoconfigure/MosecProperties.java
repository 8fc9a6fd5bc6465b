package io.mosec.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Mosec inference service ({@code mosec.*}).
 */
@ConfigurationProperties("mosec")
public class MosecProperties {

	/** Worker payloads may outgrow requests (stage outputs); a frame item is bounded by this at least. */
	private static final long MIN_WORKER_PAYLOAD_BYTES = 64L * 1024 * 1024;

	/**
	 * Deadline of one request, from admission to answer; 408 after it. Also the default
	 * timeout of one forward, and how long shutdown waits for requests in flight.
	 */
	private Duration timeout = Duration.ofSeconds(3);

	/**
	 * Most requests in flight at once; 429 beyond it.
	 */
	private int capacity = 1024;

	/**
	 * Largest request body accepted; 413 beyond it.
	 */
	private DataSize maxRequestSize = DataSize.ofMegabytes(10);

	/**
	 * Path of the default route, used when no routes are configured.
	 */
	private String endpoint = "/inference";

	/**
	 * Prefix of the metric families, as Mosec's namespace.
	 */
	private String namespace = "mosec_service";

	/**
	 * Defaults for every stage.
	 */
	private final Defaults defaults = new Defaults();

	/**
	 * Per-stage settings, keyed by stage name; they override the @MosecStage values.
	 */
	private Map<String, Stage> stages = new LinkedHashMap<>();

	/**
	 * Routes and the stages each runs through. When empty, one route at the endpoint runs every
	 * stage by order.
	 */
	private List<Route> routes = new ArrayList<>();

	/**
	 * How stages are run.
	 */
	private final Workers worker = new Workers();

	/**
	 * Directory for the workers' Unix domain sockets (made owner-only); a fresh one under
	 * java.io.tmpdir when unset.
	 */
	private Path socketDir;

	/**
	 * The meters that stages record in worker processes.
	 */
	private final Metrics metrics = new Metrics();

	/**
	 * How Python stages run.
	 */
	private final Python python = new Python();

	/**
	 * The largest payload of one task between the server and a worker: what a frame may claim.
	 * @return the bound in bytes
	 */
	public int workerPayloadLimit() {
		return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_WORKER_PAYLOAD_BYTES, this.maxRequestSize.toBytes()));
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public int getCapacity() {
		return this.capacity;
	}

	public void setCapacity(int capacity) {
		this.capacity = capacity;
	}

	public DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(DataSize maxRequestSize) {
		this.maxRequestSize = maxRequestSize;
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(String endpoint) {
		this.endpoint = endpoint;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public Defaults getDefaults() {
		return this.defaults;
	}

	public Map<String, Stage> getStages() {
		return this.stages;
	}

	public void setStages(Map<String, Stage> stages) {
		this.stages = stages;
	}

	public List<Route> getRoutes() {
		return this.routes;
	}

	public void setRoutes(List<Route> routes) {
		this.routes = routes;
	}

	public Workers getWorker() {
		return this.worker;
	}

	public Path getSocketDir() {
		return this.socketDir;
	}

	public void setSocketDir(Path socketDir) {
		this.socketDir = socketDir;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Python getPython() {
		return this.python;
	}

	/**
	 * How Python stages run.
	 */
	public static class Python {

		/**
		 * The interpreter of Python stages: a command on the PATH or a path, a virtualenv's
		 * bin/python say. It needs the msgpack package.
		 */
		private String interpreter = "python3";

		/**
		 * A Mosec server script to serve unchanged: its append_worker and register_runtime
		 * calls become stages and routes (mosec.stages.<name>.* and mosec.routes override them).
		 */
		private Path server;

		/**
		 * The script's own command-line arguments.
		 */
		private List<String> args = new ArrayList<>();

		public Path getServer() {
			return this.server;
		}

		public void setServer(Path server) {
			this.server = server;
		}

		public List<String> getArgs() {
			return this.args;
		}

		public void setArgs(List<String> args) {
			this.args = args;
		}

		public String getInterpreter() {
			return this.interpreter;
		}

		public void setInterpreter(String interpreter) {
			this.interpreter = interpreter;
		}

	}

	/**
	 * The meters that stages record in worker processes, which the server publishes.
	 */
	public static class Metrics {

		/**
		 * The most meters the server publishes for each worker of a stage (each name and tag
		 * values is one); a stage that records more has the rest left out, with a warning.
		 */
		private int maxForwardedMeters = 1000;

		public int getMaxForwardedMeters() {
			return this.maxForwardedMeters;
		}

		public void setMaxForwardedMeters(int maxForwardedMeters) {
			this.maxForwardedMeters = maxForwardedMeters;
		}

	}

	/**
	 * Defaults for every stage.
	 */
	public static class Defaults {

		/**
		 * Longest time a batch waits for more tasks after its first one; 0 hands a free worker
		 * what is queued at once (batches still grow while every worker is busy).
		 */
		private Duration maxWaitTime = Duration.ofMillis(10);

		public Duration getMaxWaitTime() {
			return this.maxWaitTime;
		}

		public void setMaxWaitTime(Duration maxWaitTime) {
			this.maxWaitTime = maxWaitTime;
		}

	}

	/**
	 * Settings of one stage; unset values keep the @MosecStage value.
	 */
	public static class Stage {

		/**
		 * Number of workers serving the stage.
		 */
		private Integer num;

		/**
		 * Largest batch handed to one forward; 1 means no batching.
		 */
		private Integer maxBatchSize;

		/**
		 * Longest time a batch waits for more tasks after its first one; 0 hands a free worker
		 * what is queued at once (batches still grow while every worker is busy).
		 */
		private Duration maxWaitTime;

		/**
		 * Longest time one forward may take; 408 for its batch after it (checked every 10 ms).
		 */
		private Duration timeout;

		/**
		 * Environment variables of each worker process, one map per worker (GPU pinning).
		 */
		private List<Map<String, String>> env = new ArrayList<>();

		/**
		 * Extra JVM options of the stage's worker processes, such as -Xmx2g.
		 */
		private List<String> jvmOptions = new ArrayList<>();

		/**
		 * Makes this a Python stage: the Mosec Worker class its workers run, as
		 * path/to/file.py:Class or package.module:Class.
		 */
		private String python;

		public String getPython() {
			return this.python;
		}

		public void setPython(String python) {
			this.python = python;
		}

		public Integer getNum() {
			return this.num;
		}

		public void setNum(Integer num) {
			this.num = num;
		}

		public Integer getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(Integer maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public Duration getMaxWaitTime() {
			return this.maxWaitTime;
		}

		public void setMaxWaitTime(Duration maxWaitTime) {
			this.maxWaitTime = maxWaitTime;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public List<Map<String, String>> getEnv() {
			return this.env;
		}

		public void setEnv(List<Map<String, String>> env) {
			this.env = env;
		}

		public List<String> getJvmOptions() {
			return this.jvmOptions;
		}

		public void setJvmOptions(List<String> jvmOptions) {
			this.jvmOptions = jvmOptions;
		}

	}

	/**
	 * A route: a path and the stages a request on it runs through.
	 */
	public static class Route {

		/**
		 * Request path, such as /v1/embeddings.
		 */
		private String path;

		/**
		 * Stage names, ingress first, egress last.
		 */
		private List<String> stages = new ArrayList<>();

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public List<String> getStages() {
			return this.stages;
		}

		public void setStages(List<String> stages) {
			this.stages = stages;
		}

	}

	/**
	 * How stages are run.
	 */
	public static class Workers {

		/**
		 * Where stages run: in worker processes, or in threads of the server JVM.
		 */
		private WorkerMode mode = WorkerMode.PROCESS;

		/**
		 * How long startup waits for every stage to have a ready (warmed-up) worker.
		 */
		private Duration startupTimeout = Duration.ofMinutes(2);

		/**
		 * How long shutdown waits for worker processes to exit before killing them.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(10);

		/**
		 * What the server prepares once so that workers start cheaply on every launch path.
		 */
		private final Cache cache = new Cache();

		public WorkerMode getMode() {
			return this.mode;
		}

		public void setMode(WorkerMode mode) {
			this.mode = mode;
		}

		public Duration getStartupTimeout() {
			return this.startupTimeout;
		}

		public void setStartupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Cache getCache() {
			return this.cache;
		}

	}

	/**
	 * The worker cache: a fat jar extracted, classes directories as jars, and class data
	 * archives, kept by the build they were made from.
	 */
	public static class Cache {

		/**
		 * Whether workers start from what the server prepares in the cache directory: a fat
		 * jar extracted, each classes directory of the classpath as a jar.
		 */
		private boolean enabled = true;

		/**
		 * Where the worker cache is kept, owner-only. Unset: mosec-cache-{user} under
		 * java.io.tmpdir, which a read-only root filesystem keeps writable.
		 */
		private Path dir;

		/**
		 * Whether workers map a class data sharing archive (an AOT cache from JDK 25), which a
		 * training worker writes into the cache once a stage's workers are all ready.
		 */
		private boolean classDataSharing = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Path getDir() {
			return this.dir;
		}

		public void setDir(Path dir) {
			this.dir = dir;
		}

		public boolean isClassDataSharing() {
			return this.classDataSharing;
		}

		public void setClassDataSharing(boolean classDataSharing) {
			this.classDataSharing = classDataSharing;
		}

	}

	/**
	 * Where stages run.
	 */
	public enum WorkerMode {

		/** In threads of the server JVM: for tests and small services. */
		THREAD,

		/** In forked worker JVMs, one process per worker: the default. */
		PROCESS

	}

}
