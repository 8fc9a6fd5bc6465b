package io.mosec.sample;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.mosec.spring.autoconfigure.MosecProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests under {@code deploy/k8s}: each overlay rendered by kustomize (or,
 * where kubectl is missing, its committed render, which must then match), parsed into the
 * Kubernetes API's own types with nothing left over, and checked against the service they run.
 */
class KubernetesManifestsTests {

	static final Path K8S = Path.of("..", "deploy", "k8s");

	static final Path APPLICATION_YAML = Path.of("src", "main", "resources", "application.yml");

	final KubernetesSerialization serialization = new KubernetesSerialization();

	@ParameterizedTest
	@ValueSource(strings = { "cpu", "gpu" })
	void rendersIntoKubernetesObjectsWithNoUnknownField(String overlay) throws Exception {
		List<HasMetadata> objects = render(overlay);
		assertThat(objects).extracting(HasMetadata::getKind)
			.containsAll(List.of("Deployment", "Service", "PodDisruptionBudget", "PodMonitor", "HorizontalPodAutoscaler"));
		for (HasMetadata object : objects) {
			assertThat(object).as(object.getKind()).isNotInstanceOf(GenericKubernetesResource.class);
			assertThat(unknownFields(object, object.getKind(), new IdentityHashMap<>())).as("unknown fields").isEmpty();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "cpu", "gpu" })
	void probesTheActuatorHealthGroupsOnTheServersPort(String overlay) throws Exception {
		Container server = server(render(overlay));
		assertThat(server.getPorts()).singleElement().satisfies((port) -> {
			assertThat(port.getName()).isEqualTo("http");
			assertThat(port.getContainerPort()).isEqualTo(mosecEnvironment(overlay).bind("server.port", Integer.class).orElse(8080));
		});
		assertThat(probePath(server.getStartupProbe())).isEqualTo("/actuator/health/liveness");
		assertThat(probePath(server.getLivenessProbe())).isEqualTo("/actuator/health/liveness");
		assertThat(probePath(server.getReadinessProbe())).isEqualTo("/actuator/health/readiness");
		for (Probe probe : List.of(server.getStartupProbe(), server.getLivenessProbe(), server.getReadinessProbe())) {
			assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
		}
		// The startup probe waits at least as long as the server waits for its workers to warm up.
		MosecProperties mosec = mosecProperties(overlay);
		Probe startup = server.getStartupProbe();
		assertThat((long) startup.getPeriodSeconds() * startup.getFailureThreshold())
			.isGreaterThanOrEqualTo(mosec.getWorker().getStartupTimeout().toSeconds());
		assertThat(mosecEnvironment(overlay).bind("management.endpoint.health.group.readiness.include", String.class)
			.orElse("")).as("the readiness group").contains("mosec");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cpu", "gpu" })
	void givesTheDrainMoreTimeThanItCanTake(String overlay) throws Exception {
		Deployment deployment = only(render(overlay), Deployment.class);
		Container server = server(render(overlay));
		List<String> preStop = server.getLifecycle().getPreStop().getExec().getCommand();
		assertThat(preStop.get(0)).isEqualTo("sleep");
		long pause = Long.parseLong(preStop.get(1));
		MosecProperties mosec = mosecProperties(overlay);
		long drain = pause + mosec.getTimeout().toSeconds() + mosec.getWorker().getShutdownTimeout().toSeconds();
		assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
			.isGreaterThan(drain);
		// A rolling update never takes a serving pod away before its replacement is ready.
		assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "cpu", "gpu" })
	void autoscalesOnTheQueueMetricTheStarterExports(String overlay) throws Exception {
		String exported = mosecProperties(overlay).getNamespace() + "_remaining_task";
		HorizontalPodAutoscaler hpa = only(render(overlay), HorizontalPodAutoscaler.class);
		assertThat(hpa.getSpec().getScaleTargetRef().getName())
			.isEqualTo(only(render(overlay), Deployment.class).getMetadata().getName());
		MetricSpec metric = hpa.getSpec().getMetrics().get(0);
		assertThat(metric.getType()).isEqualTo("Pods");
		assertThat(metric.getPods().getMetric().getName()).isEqualTo(exported);
		assertThat(metric.getPods().getTarget().getType()).isEqualTo("AverageValue");
		// The adapter rule that turns the scraped series into that per-pod metric.
		Map<String, Object> values = new Yaml().load(Files.readString(K8S.resolve("prometheus-adapter/values.yaml")));
		@SuppressWarnings("unchecked")
		Map<String, Object> rule = ((List<Map<String, Object>>) ((Map<String, Object>) values.get("rules")).get("custom"))
			.get(0);
		assertThat((String) rule.get("seriesQuery")).startsWith(exported + "{");
		assertThat(((Map<?, ?>) rule.get("name")).get("as")).isEqualTo(exported);
		// And the scrape that feeds the adapter reaches the pods.
		PodMonitor monitor = only(render(overlay), PodMonitor.class);
		PodMetricsEndpoint endpoint = monitor.getSpec().getPodMetricsEndpoints().get(0);
		assertThat(endpoint.getPath()).isEqualTo("/actuator/prometheus");
		assertThat(endpoint.getPort()).isEqualTo("http");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cpu", "gpu" })
	void selectsThePodsOfTheDeployment(String overlay) throws Exception {
		List<HasMetadata> objects = render(overlay);
		Map<String, String> podLabels = only(objects, Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
		assertThat(podLabels).containsAllEntriesOf(only(objects, Service.class).getSpec().getSelector());
		assertThat(podLabels)
			.containsAllEntriesOf(only(objects, PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
		assertThat(podLabels).containsAllEntriesOf(only(objects, PodMonitor.class).getSpec().getSelector().getMatchLabels());
		assertThat(only(objects, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "cpu", "gpu" })
	void sizesMemoryForTheServerAndEveryWorker(String overlay) throws Exception {
		Container server = server(render(overlay));
		long limit = Quantity.getAmountInBytes(server.getResources().getLimits().get("memory")).longValue();
		assertThat(server.getResources().getRequests().get("memory")).isEqualTo(server.getResources().getLimits().get("memory"));
		MosecProperties mosec = mosecProperties(overlay);
		long workers = 0;
		for (Map.Entry<String, MosecProperties.Stage> stage : mosec.getStages().entrySet()) {
			String xmx = stage.getValue().getJvmOptions().stream().filter((option) -> option.startsWith("-Xmx")).findFirst()
				.orElseThrow(() -> new AssertionError("stage " + stage.getKey() + " sets no -Xmx"));
			// Heap plus about 256 MB of JVM and native memory (metaspace, threads, ONNX Runtime) per worker.
			workers += stage.getValue().getNum() * (bytes(xmx.substring(4)) + (256L << 20));
		}
		// The server takes at most 20 % (-XX:MaxRAMPercentage=20 in the Dockerfile).
		assertThat(workers).isLessThanOrEqualTo(limit * 80 / 100);
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("-XX:MaxRAMPercentage=20");
	}

	@Test
	void pinsEachGpuWorkerToItsOwnDevice() throws Exception {
		List<HasMetadata> objects = render("gpu");
		Container server = server(objects);
		int gpus = server.getResources().getLimits().get("nvidia.com/gpu").getNumericalAmount().intValue();
		MosecProperties.Stage embed = mosecProperties("gpu").getStages().get("embed");
		assertThat(embed.getNum()).isEqualTo(gpus);
		assertThat(embed.getEnv()).hasSize(gpus);
		assertThat(embed.getEnv()).extracting((env) -> env.get("CUDA_VISIBLE_DEVICES"))
			.containsExactly("0", "1");
		// The configuration reaches the server (and so its workers) from the generated ConfigMap.
		ConfigMap config = only(objects, ConfigMap.class);
		assertThat(server.getEnv()).anySatisfy((env) -> {
			assertThat(env.getName()).isEqualTo("SPRING_CONFIG_ADDITIONAL_LOCATION");
			assertThat(env.getValue()).isEqualTo("optional:file:/config/");
		});
		String volume = server.getVolumeMounts().stream().filter((mount) -> mount.getMountPath().equals("/config"))
			.findFirst().orElseThrow().getName();
		assertThat(only(objects, Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
			.anySatisfy((v) -> {
				assertThat(v.getName()).isEqualTo(volume);
				assertThat(v.getConfigMap().getName()).isEqualTo(config.getMetadata().getName());
			});
		assertThat(config.getData()).containsKey("application.yaml");
	}

	/** The objects of an overlay, rendered by {@code kubectl kustomize} where kubectl is installed. */
	private List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
		Path committed = K8S.resolve("rendered").resolve(overlay + ".yaml");
		String yaml = Files.readString(committed);
		String rendered = kustomize(overlay);
		if (rendered != null) {
			assertThat(yaml).as(committed + " is stale: run deploy/k8s/render.sh").isEqualTo(rendered);
		}
		List<HasMetadata> objects = new ArrayList<>();
		for (String document : yaml.split("(?m)^---\\s*$")) {
			if (!document.isBlank()) {
				objects.add(this.serialization.unmarshal(document, HasMetadata.class));
			}
		}
		return objects;
	}

	private static String kustomize(String overlay) throws IOException, InterruptedException {
		Process kubectl;
		try {
			kubectl = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			// No kubectl here (a machine with only a JDK): the committed render stands in for it.
			return null;
		}
		try {
			String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(kubectl.exitValue()).as("kubectl kustomize " + overlay).isZero();
			return output;
		}
		finally {
			kubectl.destroyForcibly();
		}
	}

	/** The sample's configuration as the pod sees it: application.yml, then the overlay's ConfigMap. */
	private Binder mosecEnvironment(String overlay) throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
		Path overlayConfig = K8S.resolve("overlays").resolve(overlay).resolve("application.yaml");
		if (Files.exists(overlayConfig)) {
			for (PropertySource<?> source : loader.load("overlay", new FileSystemResource(overlayConfig))) {
				environment.getPropertySources().addLast(source);
			}
		}
		for (PropertySource<?> source : loader.load("application", new FileSystemResource(APPLICATION_YAML))) {
			environment.getPropertySources().addLast(source);
		}
		return new Binder(ConfigurationPropertySources.get(environment));
	}

	private MosecProperties mosecProperties(String overlay) throws IOException {
		return mosecEnvironment(overlay).bindOrCreate("mosec", MosecProperties.class);
	}

	private static Container server(List<HasMetadata> objects) {
		List<Container> containers = only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers();
		assertThat(containers).hasSize(1);
		return containers.get(0);
	}

	private static <T> T only(List<HasMetadata> objects, Class<T> type) {
		List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
		assertThat(matching).as(type.getSimpleName()).hasSize(1);
		return matching.get(0);
	}

	private static String probePath(Probe probe) {
		return probe.getHttpGet().getPath();
	}

	private static long bytes(String size) {
		char unit = Character.toLowerCase(size.charAt(size.length() - 1));
		long number = Long.parseLong(size.substring(0, size.length() - 1));
		return switch (unit) {
			case 'g' -> number << 30;
			case 'm' -> number << 20;
			case 'k' -> number << 10;
			default -> Long.parseLong(size);
		};
	}

	/**
	 * Fields the model did not know: fabric8 keeps them in {@code additionalProperties} rather
	 * than failing, so strictness means finding none anywhere in the object graph.
	 */
	private static List<String> unknownFields(Object value, String path, Map<Object, Boolean> seen) throws Exception {
		List<String> unknown = new ArrayList<>();
		if (value == null || seen.put(value, true) != null) {
			return unknown;
		}
		if (value instanceof Collection<?> collection) {
			int i = 0;
			for (Object element : collection) {
				unknown.addAll(unknownFields(element, path + "[" + i++ + "]", seen));
			}
			return unknown;
		}
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				unknown.addAll(unknownFields(entry.getValue(), path + "." + entry.getKey(), seen));
			}
			return unknown;
		}
		if (!value.getClass().getName().startsWith("io.fabric8.")) {
			return unknown;
		}
		for (Method getter : value.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
				continue;
			}
			Object property = getter.invoke(value);
			if (getter.getName().equals("getAdditionalProperties")) {
				((Map<?, ?>) property).keySet().forEach((key) -> unknown.add(path + "." + key));
			}
			else {
				unknown.addAll(unknownFields(property, path + "." + getter.getName().substring(3), seen));
			}
		}
		return unknown;
	}

}
