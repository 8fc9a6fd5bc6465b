package io.mosec.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that runs Python stages: before anything of it starts (its application context
 * included) the interpreter must import these modules, else the class is not run and says what to
 * install, or fails where Python is required ({@code MOSEC_REQUIRE_PYTHON=1}, as in CI). Pair it
 * with {@link Python#INTERPRETER_PROPERTY} in the test's properties.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPython.Check.class)
public @interface RequiresPython {

	/**
	 * The modules the test's stages import.
	 * @return their names
	 */
	String[] value() default "msgpack";

	/** Checks the interpreter once per class. */
	final class Check implements BeforeAllCallback {

		@Override
		public void beforeAll(ExtensionContext context) {
			RequiresPython requires = context.getRequiredTestClass().getAnnotation(RequiresPython.class);
			Python.withModules((requires != null) ? requires.value() : new String[] { "msgpack" });
		}

	}

}
