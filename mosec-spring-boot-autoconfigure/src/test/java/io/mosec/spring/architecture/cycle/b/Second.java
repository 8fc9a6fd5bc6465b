package io.mosec.spring.architecture.cycle.b;

import io.mosec.spring.architecture.cycle.a.First;

/** The other half of the package cycle that {@code LayeringTests} must catch. */
public class Second {

	First first;

}
