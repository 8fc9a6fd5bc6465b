package io.mosec.spring.autoconfigure;

import io.mosec.spring.worker.child.BeanInputValidator;
import io.mosec.spring.worker.child.InputValidator;
import jakarta.validation.Validator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Validation of ingress inputs with the application's Bean Validation {@link Validator}, where
 * the stages run: in the worker processes, or in the server in thread mode.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Validator.class)
class MosecValidationConfiguration {

	@Bean
	@ConditionalOnMissingBean
	InputValidator mosecInputValidator(ObjectProvider<Validator> validator) {
		// Looked up, not required: without a provider (hibernate-validator) Boot makes no Validator.
		Validator available = validator.getIfUnique();
		return (available != null) ? new BeanInputValidator(available) : InputValidator.NONE;
	}

}
