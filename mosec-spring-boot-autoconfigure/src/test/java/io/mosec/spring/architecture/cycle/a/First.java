package io.mosec.spring.architecture.cycle.a;

import io.mosec.spring.architecture.cycle.b.Second;

/** Half of a package cycle that {@code LayeringTests} must catch. */
public class First {

	Second second;

}
