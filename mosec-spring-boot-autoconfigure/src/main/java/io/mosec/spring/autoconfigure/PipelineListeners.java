package io.mosec.spring.autoconfigure;

import java.util.List;

import io.mosec.spring.pipeline.PipelineListener;
import io.mosec.spring.stage.StageDefinition;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Every {@link PipelineListener} bean as one.
 */
final class PipelineListeners {

	private PipelineListeners() {
	}

	static PipelineListener of(ObjectProvider<PipelineListener> beans) {
		List<PipelineListener> listeners = beans.orderedStream().toList();
		if (listeners.isEmpty()) {
			return PipelineListener.NONE;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		return new PipelineListener() {

			@Override
			public void batchAnswered(StageDefinition stage, int workerId, int size, long batchNanos,
					long forwardNanos) {
				listeners.forEach((listener) -> listener.batchAnswered(stage, workerId, size, batchNanos, forwardNanos));
			}

			@Override
			public void requestAnswered(String endpoint, int status, long nanos) {
				listeners.forEach((listener) -> listener.requestAnswered(endpoint, status, nanos));
			}

		};
	}

}
