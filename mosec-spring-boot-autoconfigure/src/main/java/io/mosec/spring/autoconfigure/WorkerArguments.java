package io.mosec.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The command-line arguments a worker process gets so that it sees the configuration its server
 * sees: the server's own arguments, the properties a relaunched JVM cannot read for itself, and
 * the active profiles. Files, environment variables and system properties a worker reads as the
 * server did.
 */
final class WorkerArguments {

	/*
	 * Spring Test keeps @SpringBootTest(properties), @TestPropertySource and @DynamicPropertySource
	 * values in sources of these names (its constants are not on a production classpath);
	 * WorkerArgumentsTests fails if Spring renames them.
	 */
	static final String INLINED_TEST_PROPERTIES = "Inlined Test Properties";

	static final String DYNAMIC_TEST_PROPERTIES = "Dynamic Test Properties";

	/**
	 * Where Boot's test support puts what it sets for a test ({@code TestPropertyValues}), such as
	 * metrics and trace export turned off unless the test asks for them.
	 */
	static final String BOOT_TEST_PROPERTIES = "test";

	private static final List<String> FORWARDED_SOURCES = List.of(INLINED_TEST_PROPERTIES, DYNAMIC_TEST_PROPERTIES,
			BOOT_TEST_PROPERTIES, DefaultPropertiesPropertySource.NAME);

	private WorkerArguments() {
	}

	/**
	 * The arguments of a worker of this server.
	 * @param environment the server's environment
	 * @param arguments the server's arguments, {@code null} if it has none
	 * @return the arguments, each a {@code --name=value} but the server's own
	 */
	static List<String> of(ConfigurableEnvironment environment, ApplicationArguments arguments) {
		List<String> forwarded = new ArrayList<>();
		if (arguments != null) {
			forwarded.addAll(List.of(arguments.getSourceArgs()));
		}
		for (String sourceName : FORWARDED_SOURCES) {
			PropertySource<?> source = environment.getPropertySources().get(sourceName);
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String property : enumerable.getPropertyNames()) {
					forwarded.add("--" + property + "=" + enumerable.getProperty(property));
				}
			}
		}
		if (environment.getActiveProfiles().length > 0) {
			forwarded.add("--spring.profiles.active=" + String.join(",", environment.getActiveProfiles()));
		}
		return forwarded;
	}

}
