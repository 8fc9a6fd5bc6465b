package io.mosec.spring.support;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Threads of the server's own machinery (timers, acceptors, readers, supervisors): daemons, so
 * that none of them keeps a JVM alive that is done, each named after what it serves.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A factory of daemon threads named {@code prefix} and a number.
	 * @param prefix the name's prefix, such as {@code mosec-embed-supervisor-}
	 * @return the factory
	 */
	public static ThreadFactory named(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

}
