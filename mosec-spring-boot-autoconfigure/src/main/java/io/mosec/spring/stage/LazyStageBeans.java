package io.mosec.spring.stage;

import io.mosec.spring.api.MosecStage;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes every {@link MosecStage} bean lazy, so that a model is loaded only where its worker
 * runs and never by the server in process mode.
 */
public final class LazyStageBeans implements BeanFactoryPostProcessor {

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		for (String name : beanFactory.getBeanNamesForAnnotation(MosecStage.class)) {
			if (beanFactory.containsBeanDefinition(name)) {
				beanFactory.getBeanDefinition(name).setLazyInit(true);
			}
		}
	}

}
