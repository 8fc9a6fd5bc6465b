package io.mosec.spring.autoconfigure;

import io.mosec.spring.stage.MosecConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a wrong stage or route configuration into a startup report that says what to fix.
 */
class MosecConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MosecConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MosecConfigurationException cause) {
		return new FailureAnalysis("The Mosec configuration is wrong: " + cause.getMessage(),
				"Fix the @MosecStage annotation or the mosec.* property named above.", cause);
	}

}
