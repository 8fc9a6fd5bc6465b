package io.mosec.spring.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.mosec.spring.codec.PayloadCodec;
import io.mosec.spring.codec.PayloadFormat;
import io.mosec.spring.metrics.MeterSnapshot.Sample;
import io.mosec.spring.worker.WorkerMeters;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The server side: publishes each worker's snapshots in the server's registry (and so in every
 * registry it has), tagged {@code stage} and {@code worker}. A snapshot holds cumulative values;
 * what changed since the same connection's last one is recorded, so a counter goes on from where
 * it was when a worker restarts and a scrape never sees it go down.
 * <p>
 * Bounded: at most {@code limit} meters for each worker id of each stage, kept across its
 * restarts (ids are 1 to num, so the bound holds however often workers restart), and at most
 * {@value #RECORDS_PER_SNAPSHOT} records a snapshot, the rest carried to the next one, so that a
 * misbehaving worker can neither fill the server's memory nor hold its reader thread.
 */
public final class ForwardedMeters implements WorkerMeters {

	/** The tag that names the stage. */
	public static final String STAGE_TAG = "stage";

	/** The tag that names the worker, 1 to num. */
	public static final String WORKER_TAG = "worker";

	static final int RECORDS_PER_SNAPSHOT = 100_000;

	private static final Log logger = LogFactory.getLog(ForwardedMeters.class);

	private final MeterRegistry registry;

	private final PayloadCodec codec;

	private final ForwardedDistributions distributions;

	private final int limit;

	private final Map<String, PublishedMeters> workers = new ConcurrentHashMap<>();

	/**
	 * Publishes in a registry.
	 * @param registry the server's registry
	 * @param codec decodes snapshots
	 * @param distributions keeps distributions off what it registers
	 * @param limit the most meters published for one worker
	 */
	public ForwardedMeters(MeterRegistry registry, PayloadCodec codec, ForwardedDistributions distributions, int limit) {
		this.registry = registry;
		this.codec = codec;
		this.distributions = distributions;
		this.limit = limit;
	}

	@Override
	public Feed connect(String stage, int workerId) {
		PublishedMeters published = this.workers.computeIfAbsent(stage + "\0" + workerId,
				(key) -> new PublishedMeters(this.registry, this.distributions, stage, workerId, this.limit));
		return new Connection(published);
	}

	/** One connection's view: the values it last sent, to take the next snapshot's change from. */
	private final class Connection implements Feed {

		private final PublishedMeters published;

		private final Map<PublishedMeters.Key, PublishedMeters.Last> last = new HashMap<>();

		private boolean warned;

		Connection(PublishedMeters published) {
			this.published = published;
		}

		@Override
		public void accept(byte[] bytes) {
			MeterSnapshot snapshot;
			try {
				snapshot = (MeterSnapshot) ForwardedMeters.this.codec.decode(bytes, PayloadFormat.MSGPACK,
						MeterSnapshot.class);
			}
			catch (RuntimeException ex) {
				if (!this.warned) {
					this.warned = true;
					logger.warn(this.published + " sent meters that cannot be read; they are ignored: " + ex.getMessage());
				}
				return;
			}
			int[] budget = { RECORDS_PER_SNAPSHOT };
			List<Sample> samples = snapshot.meters();
			for (Sample sample : samples.subList(0, Math.min(samples.size(), ForwardedMeters.this.limit))) {
				if (sample == null || sample.name() == null || sample.kind() == null || sample.tags() == null) {
					continue;
				}
				PublishedMeters.Key key = new PublishedMeters.Key(sample.name(), sample.tags());
				this.published.record(this, sample, this.last.computeIfAbsent(key, (k) -> new PublishedMeters.Last()),
						budget);
			}
		}

		@Override
		public void close() {
			this.published.disconnected(this);
		}

	}

}
