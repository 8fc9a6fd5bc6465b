package io.mosec.spring.worker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.pipeline.Pipeline;
import io.mosec.spring.test.LocalHttp;
import io.mosec.spring.worker.ProcessStages.Answer;
import io.mosec.spring.test.Readiness;
import io.mosec.spring.worker.launch.SocketDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stages in real worker processes, behind the real HTTP front end.
 */
@SpringBootTest(classes = ProcessStages.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "mosec.worker.mode=process", "mosec.timeout=5s", "mosec.stages.echo.num=2",
				"mosec.stages.echo.timeout=1s", "mosec.stages.echo.env[0].MOSEC_TEST_WORKER=one",
				"mosec.stages.echo.env[1].MOSEC_TEST_WORKER=two",
				"mosec.routes[0].path=/inference", "mosec.routes[0].stages=echo,double",
				"mosec.routes[1].path=/echo", "mosec.routes[1].stages=echo" })
class ProcessWorkersEndToEndTests {

	static final Path CONSTRUCTED = createTempFile();

	@DynamicPropertySource
	static void constructedFile(DynamicPropertyRegistry registry) {
		registry.add("test.constructed-file", CONSTRUCTED::toString);
	}

	final ObjectMapper json = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	Pipeline pipeline;

	@Autowired
	SocketDirectory socketDirectory;

	@BeforeEach
	void everyWorkerIsReady() {
		// The port opens once each stage has one ready worker; these tests are about all of them.
		Readiness.awaitEveryWorker(this.pipeline);
	}

	@LocalServerPort
	int port;

	@Test
	void answersThroughTwoStagesInWorkerProcesses() throws Exception {
		HttpResponse<String> response = post("/inference", "{\"value\": 21}");
		assertThat(response.statusCode()).isEqualTo(200);
		Answer answer = this.json.readValue(response.body(), Answer.class);
		assertThat(answer.value()).isEqualTo(42);
		assertThat(answer.pid()).isNotEqualTo(ProcessHandle.current().pid());
		assertThat(ProcessHandle.of(answer.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
			.hasValue(ProcessHandle.current().pid());
	}

	@Test
	void decodesAndEncodesMsgpackInTheWorkers() throws Exception {
		MessagePackMapper msgpack = new MessagePackMapper();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/inference"))
			.header("Content-Type", "application/msgpack")
			.POST(HttpRequest.BodyPublishers.ofByteArray(msgpack.writeValueAsBytes(Map.of("value", 4))))
			.build();
		HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/msgpack");
		assertThat(msgpack.readValue(response.body(), Answer.class).value()).isEqualTo(8);
	}

	@Test
	void keepsTheStatusCodesOfTheContract() throws Exception {
		assertThat(post("/inference", "{\"value\": ").statusCode()).isEqualTo(400);
		HttpResponse<String> invalid = post("/inference", "{\"value\": 1, \"mode\": \"invalid\"}");
		assertThat(invalid.statusCode()).isEqualTo(422);
		assertThat(invalid.body()).contains("request validation error: value must be positive");
		assertThat(post("/inference", "{\"value\": \"x\"}").statusCode()).isEqualTo(400);
	}

	@Test
	void neverCreatesAStageBeanInTheServer() throws Exception {
		assertThat(post("/echo", "{\"value\": 1}").statusCode()).isEqualTo(200);
		Set<Long> constructedIn = new HashSet<>();
		for (String line : Files.readAllLines(CONSTRUCTED)) {
			constructedIn.add(Long.parseLong(line.trim()));
		}
		Set<Long> children = new HashSet<>();
		ProcessHandle.current().children().forEach((child) -> children.add(child.pid()));
		assertThat(constructedIn).isNotEmpty().doesNotContain(ProcessHandle.current().pid());
		assertThat(children).containsAll(liveEchoPids());
		assertThat(constructedIn).containsAll(liveEchoPids());
	}

	@Test
	void givesEachWorkerItsOwnEnvironment() throws Exception {
		Set<String> seen = new HashSet<>();
		for (int round = 0; round < 10 && seen.size() < 2; round++) {
			List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				calls.add(postAsync("/echo", "{\"value\": 1, \"sleep\": 50}"));
			}
			for (CompletableFuture<HttpResponse<String>> call : calls) {
				seen.add(this.json.readValue(call.get().body(), Answer.class).env());
			}
		}
		assertThat(seen).containsExactlyInAnyOrder("one", "two");
	}

	@Test
	void replacesAWorkerWhoseForwardOutlivesTheStageTimeout() throws Exception {
		Set<Long> before = new HashSet<>(liveEchoPids());
		long started = System.nanoTime();
		HttpResponse<String> response = post("/echo", "{\"value\": 1, \"sleep\": 4000}");
		assertThat(response.statusCode()).isEqualTo(408);
		assertThat(response.body()).contains("stage 'echo' exceeded its timeout");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			List<Long> now = liveEchoPids();
			return now.size() == 2 && !before.containsAll(now);
		});
		assertThat(post("/echo", "{\"value\": 2}").statusCode()).isEqualTo(200);
	}

	@Test
	void failsTheBatchOfAWorkerThatDiesAtOnceAndRestartsIt() throws Exception {
		long started = System.nanoTime();
		HttpResponse<String> response = post("/echo", "{\"value\": 1, \"mode\": \"crash\"}");
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("worker exited");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		await().atMost(Duration.ofSeconds(60)).until(() -> liveEchoPids().size() == 2);
	}

	@Test
	void keepsServingWhileAWorkerIsKilledUnderLoad() throws Exception {
		ConcurrentLinkedQueue<Long> slow = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
		List<CompletableFuture<Void>> clients = new ArrayList<>();
		long victim = liveEchoPids().get(0);
		for (int c = 0; c < 8; c++) {
			clients.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 15; i++) {
					long started = System.nanoTime();
					try {
						statuses.add(post("/echo", "{\"value\": 1, \"sleep\": 20}").statusCode());
					}
					catch (IOException | InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
					long elapsed = System.nanoTime() - started;
					if (elapsed > Duration.ofSeconds(3).toNanos()) {
						slow.add(elapsed);
					}
				}
			}));
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= 10);
		ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
		CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
		assertThat(statuses).hasSize(120).allMatch((status) -> status == 200 || status == 500);
		assertThat(slow).as("requests that waited for their timeout").isEmpty();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> liveEchoPids().size() == 2 && !liveEchoPids().contains(victim));
		assertThat(post("/echo", "{\"value\": 3}").statusCode()).isEqualTo(200);
	}

	@Test
	void registersARestartedWorkerWhileAPeerThatSaysNoHelloIsConnectedAndDropsThatPeer() throws Exception {
		Path socket;
		try (Stream<Path> sockets = Files.list(this.socketDirectory.path())) {
			socket = sockets.filter((path) -> path.getFileName().toString().endsWith("-echo.sock")).findFirst()
				.orElseThrow();
		}
		try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			// Connects as a worker would, and never says hello (as Mosec's own Python coordinator does).
			silent.connect(UnixDomainSocketAddress.of(socket));
			long victim = liveEchoPids().get(0);
			ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);

			// Its replacement registers although the silent peer got to the socket first.
			await().atMost(Duration.ofSeconds(60))
				.until(() -> liveEchoPids().size() == 2 && !liveEchoPids().contains(victim));
			assertThat(post("/echo", "{\"value\": 5}").statusCode()).isEqualTo(200);
			// The server hangs up on it: its read ends.
			CompletableFuture<Integer> read = CompletableFuture
				.supplyAsync(() -> readQuietly(silent));
			assertThat(read.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(-1);
		}
	}

	private static int readQuietly(SocketChannel channel) {
		try {
			return channel.read(ByteBuffer.allocate(1));
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private List<Long> liveEchoPids() {
		return List.copyOf(this.pipeline.pool("echo").status().readyPids().values());
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return new LocalHttp(this.port).post(path, body);
	}

	private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
		return new LocalHttp(this.port).postAsync(path, body);
	}

	private static Path createTempFile() {
		try {
			Path file = Files.createTempFile("mosec-constructed-", ".txt");
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
