package io.mosec.spring.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.worker.PoolStatus;
import io.mosec.testing.Python;
import io.mosec.testing.RequiresPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Python worker that is killed under load, or that breaks the protocol (says no hello, answers
 * with garbage, sends a reply for a batch it was not given), is replaced or refused, and its
 * stage goes on serving with its peer: every request is answered, none waits for a timeout.
 */
@SpringBootTest(classes = PythonWorkerFailureTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { Python.INTERPRETER_PROPERTY, "mosec.worker.mode=process", "mosec.timeout=20s",
				"mosec.stages.no-hello.python=src/test/resources/python/misbehaving.py:Echo",
				"mosec.stages.no-hello.num=2", "mosec.stages.no-hello.env[0].MISBEHAVE=",
				"mosec.stages.no-hello.env[1].MISBEHAVE=no-hello",
				"mosec.stages.garbage.python=src/test/resources/python/misbehaving.py:Echo",
				"mosec.stages.garbage.num=2", "mosec.stages.garbage.env[0].MISBEHAVE=",
				"mosec.stages.garbage.env[1].MISBEHAVE=garbage",
				"mosec.stages.stray-reply.python=src/test/resources/python/misbehaving.py:Echo",
				"mosec.stages.stray-reply.num=2", "mosec.stages.stray-reply.env[0].MISBEHAVE=",
				"mosec.stages.stray-reply.env[1].MISBEHAVE=stray-reply",
				"mosec.stages.killed.python=src/test/resources/python/misbehaving.py:Echo", "mosec.stages.killed.num=2",
				"mosec.routes[0].path=/no-hello", "mosec.routes[0].stages=no-hello",
				"mosec.routes[1].path=/garbage", "mosec.routes[1].stages=garbage",
				"mosec.routes[2].path=/stray-reply", "mosec.routes[2].stages=stray-reply",
				"mosec.routes[3].path=/killed", "mosec.routes[3].stages=killed" })
@DirtiesContext
@RequiresPython
class PythonWorkerFailureTests {

	@LocalServerPort
	int port;

	@Autowired
	Pipeline pipeline;

	@ParameterizedTest
	@ValueSource(strings = { "no-hello", "garbage", "stray-reply" })
	void keepsServingWithTheWellBehavedWorkerAndReplacesTheOther(String stage) throws Exception {
		LocalHttp http = new LocalHttp(this.port);
		long restartsBefore = this.pipeline.pool(stage).status().restarts();
		List<Integer> statuses = new ArrayList<>();
		long started = System.nanoTime();
		for (int round = 0; round < 10; round++) {
			// Two at a time, so that both workers are given batches.
			http.postConcurrently("/" + stage, 2, (i) -> "{\"value\": " + i + "}")
				.forEach((response) -> statuses.add(response.statusCode()));
		}
		// Answered as they came: a batch the bad worker took fails at once (500), the rest succeed.
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
		assertThat(statuses).isSubsetOf(200, 500).contains(200);
		// Worker 2 is never a ready worker for long: it is dropped, and relaunched, again and again.
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.pipeline.pool(stage).status().restarts() > restartsBefore);
		assertThat(this.pipeline.pool(stage).status().readyPids()).containsKey(1);
		assertThat(http.post("/" + stage, "{\"value\": 1}").statusCode()).isEqualTo(200);
	}

	@Test
	void keepsServingWhileAPythonWorkerIsKilledUnderLoad() throws Exception {
		// The other stages' bad workers are never all ready: wait for this stage's alone.
		await().atMost(Duration.ofSeconds(60)).until(() -> this.pipeline.pool("killed").status().ready() == 2);
		PoolStatus before = this.pipeline.pool("killed").status();
		long victim = before.readyPids().get(1);
		try (Load load = Load.start(URI.create("http://127.0.0.1:" + this.port + "/killed"), 8, 0,
				() -> "{\"value\": 1}", () -> Duration.ofSeconds(10))) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(200) > 100);
			ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
				PoolStatus now = this.pipeline.pool("killed").status();
				return now.ready() == 2 && !now.readyPids().containsValue(victim);
			});
			long afterRestart = load.count(200);
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(200) > afterRestart + 100);
			load.stop();
			// The batches the killed worker held fail (500); nothing else does, and no client gave up.
			assertThat(load.outcomes().keySet()).as(Load.describe(load.outcomes())).isSubsetOf(200, 500);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
