package io.mosec.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * 6b. The sample with its inference stage in PyTorch (Python workers, {@code --spring.profiles.active=torch})
 * beside the same sample on ONNX Runtime in Java (fp32, the same weights), one run, the same texts.
 */
final class TorchSampleBenchmark {

	private static final int[] CONNECTIONS = { 1, 8, 32 };

	private final Servers servers;

	private final Report report;

	TorchSampleBenchmark(Servers servers, Report report) {
		this.servers = servers;
		this.report = report;
	}

	void run(Path embedScript) throws Exception {
		String embedBody = "{\"input\": \"" + Sentences.corpus(1).get(0) + "\"}";
		List<Result> java = load("sample-fp32-java", embedBody, embedScript, List.of());
		List<Result> torch = load("sample-fp32-torch", embedBody, embedScript,
				List.of("--spring.profiles.active=torch", "--mosec.python.interpreter=" + PythonStagesBenchmark.PYTHON));
		this.report.section("6b. The sample's inference in PyTorch",
				"The sample as in section 3 (fp32, tokenising in Java, 2 inference workers of 1 thread, batches up to 32), "
						+ "its inference stage once on ONNX Runtime in the JVM and once in PyTorch in Python workers "
						+ "(the same weights, read from the ONNX file; `--spring.profiles.active=torch`). Interpreter "
						+ PythonStagesBenchmark.PYTHON + ".");
		List<String[]> rows = new ArrayList<>();
		for (int i = 0; i < CONNECTIONS.length; i++) {
			rows.add(Report.row("sample, Java ONNX Runtime (baseline)", CONNECTIONS[i], java.get(i), java.get(i)));
			rows.add(Report.row("sample, Python PyTorch", CONNECTIONS[i], torch.get(i), java.get(i)));
		}
		this.report.table(rows);
	}

	private List<Result> load(String name, String body, Path script, List<String> arguments) throws Exception {
		List<Result> results = new ArrayList<>();
		try (BenchServer server = this.servers.startJar(name, "/v1/embeddings", body, arguments)) {
			for (int connections : CONNECTIONS) {
				results.add(this.servers.load(server, "/v1/embeddings", connections, script));
			}
		}
		return results;
	}

}
