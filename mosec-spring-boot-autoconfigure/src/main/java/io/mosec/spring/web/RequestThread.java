package io.mosec.spring.web;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Where a request's answer and deadline run: its own event loop on Reactor Netty, so that
 * writing the response costs no hand-off and the deadline timer is a task in that loop's own
 * queue (a shared timer thread was a point of contention under load); elsewhere Reactor's
 * parallel scheduler.
 */
abstract class RequestThread implements Executor {

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.Connection",
			RequestThread.class.getClassLoader());

	private static final RequestThread PARALLEL = new RequestThread() {

		@Override
		public void execute(Runnable command) {
			Schedulers.parallel().schedule(command);
		}

		@Override
		Runnable schedule(Runnable command, Duration delay) {
			Disposable scheduled = Schedulers.parallel().schedule(command, delay.toNanos(), TimeUnit.NANOSECONDS);
			return scheduled::dispose;
		}

	};

	/**
	 * Runs a command once the delay has passed, on this thread.
	 * @param command the command
	 * @param delay the delay
	 * @return cancels the command unless it has run
	 */
	abstract Runnable schedule(Runnable command, Duration delay);

	static RequestThread of(ServerRequest request) {
		if (REACTOR_NETTY) {
			try {
				Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
				if (nativeRequest instanceof Connection connection) {
					return new EventLoop(connection.channel().eventLoop());
				}
			}
			catch (IllegalStateException ex) {
				// A request without a server behind it (a mock in tests) has no native request.
			}
		}
		return PARALLEL;
	}

	private static final class EventLoop extends RequestThread {

		private final ScheduledExecutorService loop;

		EventLoop(ScheduledExecutorService loop) {
			this.loop = loop;
		}

		@Override
		public void execute(Runnable command) {
			this.loop.execute(command);
		}

		@Override
		Runnable schedule(Runnable command, Duration delay) {
			ScheduledFuture<?> scheduled = this.loop.schedule(command, delay.toNanos(), TimeUnit.NANOSECONDS);
			return () -> scheduled.cancel(false);
		}

	}

}
