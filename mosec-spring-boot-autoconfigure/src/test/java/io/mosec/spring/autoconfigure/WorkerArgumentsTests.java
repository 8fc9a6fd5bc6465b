package io.mosec.spring.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
import org.springframework.test.context.support.TestPropertySourceUtils;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerArgumentsTests {

	@Test
	void passesTheServersArgumentsItsDefaultPropertiesAndItsProfiles() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addLast(new MapPropertySource(DefaultPropertiesPropertySource.NAME,
				Map.of("mosec.timeout", "7s")));
		environment.getPropertySources().addLast(new MapPropertySource("application.yml", Map.of("ignored", "x")));
		environment.setActiveProfiles("gpu", "eu");
		assertThat(WorkerArguments.of(environment, new DefaultApplicationArguments("--server.port=0", "positional")))
			.containsExactly("--server.port=0", "positional", "--mosec.timeout=7s", "--spring.profiles.active=gpu,eu");
	}

	@Test
	void passesNothingForAServerWithoutArgumentsOrProperties() {
		assertThat(WorkerArguments.of(new StandardEnvironment(), null)).isEmpty();
	}

	@Test
	void namesTheInlinedTestPropertiesAsSpringTestDoes() {
		assertThat(WorkerArguments.INLINED_TEST_PROPERTIES)
			.isEqualTo(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME);
	}

	@Test
	void passesWhatBootsTestSupportSetForTheTest() {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertyValues.of("management.tracing.export.enabled=false").applyTo(environment);
		assertThat(environment.getPropertySources().contains(WorkerArguments.BOOT_TEST_PROPERTIES)).isTrue();
		assertThat(WorkerArguments.of(environment, null)).containsExactly("--management.tracing.export.enabled=false");
	}

	/** Fails if Spring Test renames the sources that hold a test's properties. */
	@Nested
	@SpringJUnitConfig(InATestContext.Empty.class)
	@TestPropertySource(properties = "mosec.inlined=1")
	class InATestContext {

		@DynamicPropertySource
		static void dynamic(DynamicPropertyRegistry registry) {
			registry.add("mosec.dynamic", () -> "2");
		}

		@Autowired
		ConfigurableEnvironment environment;

		@Test
		void passesInlinedAndDynamicTestProperties() {
			assertThat(this.environment.getPropertySources().contains(WorkerArguments.INLINED_TEST_PROPERTIES)).isTrue();
			assertThat(this.environment.getPropertySources().contains(WorkerArguments.DYNAMIC_TEST_PROPERTIES)).isTrue();
			assertThat(WorkerArguments.of(this.environment, null)).contains("--mosec.inlined=1", "--mosec.dynamic=2");
		}

		@Configuration(proxyBeanMethods = false)
		static class Empty {

		}

	}

}
