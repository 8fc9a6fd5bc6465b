package io.mosec.spring.worker.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The class data sharing (CDS) archive of the workers started with one command. Most of a
 * worker's start is spent loading, parsing and verifying the same few thousand classes; a JVM
 * that maps them from an archive starts with about 40 % less CPU (BENCHMARKS.md). The JDK writes
 * such an archive when a JVM started with {@code -XX:ArchiveClassesAtExit} (or, from JDK 25, an
 * AOT cache with {@code -XX:AOTCacheOutput}, faster still) exits normally, so once a stage's
 * workers are all ready, one training worker, started like them, warms up and exits (to a
 * temporary file, published only if it exited cleanly), and every worker launched after that
 * (a restart, the next server start) maps it. Stages started with the same command share one.
 * <p>
 * The file name carries a digest of what the command was made from (the {@code java}, the JVM
 * options, the server's own launch target) and one of what it loads (the JDK's version, the
 * size and modification time of each classpath file): a rebuilt application or another JDK
 * gets an archive of its own rather than one the JVM would reject, and publishing it removes the
 * one it replaces.
 */
public final class ClassDataArchive {

	private static final Log logger = LogFactory.getLog(ClassDataArchive.class);

	/** No archive: workers start as they would without one. */
	public static final ClassDataArchive NONE = new ClassDataArchive(null, null, null, null);

	/** JVM options that show the user manages class data sharing (or the AOT cache) already. */
	private static final List<String> OWN_CDS_OPTIONS = List.of("-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
			"-XX:+AutoCreateSharedArchive", "-Xshare:", "-XX:AOTCache", "-XX:AOTMode", "-XX:AOTConfiguration");

	private final ClassDataFormat format;

	private final Path file;

	private final Path pending;

	private final String launchPrefix;

	/** The options of the worker that is writing the archive now, if one is. */
	private List<String> writer;

	private ClassDataArchive(ClassDataFormat format, Path file, Path pending, String launchPrefix) {
		this.format = format;
		this.file = file;
		this.pending = pending;
		this.launchPrefix = launchPrefix;
	}

	/**
	 * The archive for the workers started with {@code command}; {@link #NONE} when
	 * {@code directory} is {@code null}, or when the command cannot use an archive of ours
	 * (logged with the reason).
	 * @param directory where archives are kept, or {@code null} for none
	 * @param identity the command as the server was launched, which a rebuild does not change
	 * @param command the worker command up to its main class or jar: {@code java}, JVM options
	 * and launch target
	 * @return the archive
	 */
	public static ClassDataArchive of(Path directory, List<String> identity, List<String> command) {
		return of(directory, identity, command, ClassDataFormat.ofThisJvm());
	}

	static ClassDataArchive of(Path directory, List<String> identity, List<String> command, ClassDataFormat format) {
		if (directory == null) {
			return NONE;
		}
		String unsupported = (format != null) ? whyUnsupported(command)
				: "this JVM writes no class data archives (HotSpot does, from JDK 13)";
		if (unsupported != null) {
			logger.info("Workers of " + command.get(command.size() - 1) + " start without a class data archive: "
					+ unsupported);
			return NONE;
		}
		try {
			if (!Files.isDirectory(directory)) {
				// Inside the owner-only worker cache (WorkerCache), which is what the JVM's trust in it rests on.
				Files.createDirectories(directory);
			}
		}
		catch (IOException ex) {
			logger.warn("Workers start without a class data archive: cannot create " + directory + ": "
					+ ex.getMessage());
			return NONE;
		}
		String launchPrefix = WorkerCache.digest(String.join("\n", identity)).substring(0, 12) + "-";
		String name = launchPrefix + WorkerCache.digest(String.join("\n", command) + "\n" + version(command))
			.substring(0, 16);
		removeAbandonedWrites(directory);
		return new ClassDataArchive(format, directory.resolve(name + format.extension),
				directory.resolve("." + name + "." + ProcessHandle.current().pid() + format.extension + ".tmp"),
				launchPrefix);
	}

	/**
	 * JVM options for the next worker: map the archive if there is one.
	 * @return options to add before the launch target; empty for none
	 */
	public synchronized List<String> optionsForNextWorker() {
		if (this.file != null && Files.isReadable(this.file)) {
			return List.of(this.format.readOption + this.file);
		}
		return List.of();
	}

	/**
	 * JVM options for a training worker that writes the archive when it exits, unless the archive
	 * is there or another worker is writing it.
	 * @return options to add before the launch target; empty for no training
	 */
	public synchronized List<String> optionsForTraining() {
		if (this.file == null || this.writer != null || Files.isReadable(this.file)) {
			return List.of();
		}
		List<String> writer = new ArrayList<>(List.of(this.format.writeOption + this.pending, this.format.quietWrite));
		writer.addAll(this.format.trainingOptions);
		this.writer = List.copyOf(writer);
		logger.info("No class data archive at " + this.file + " yet: a training worker writes it, so workers started "
				+ "after that start faster");
		return this.writer;
	}

	/**
	 * A worker started with {@code options} has exited: if it was writing the archive and
	 * exited cleanly, the archive is published; otherwise what it wrote is dropped.
	 * @param options what {@link #optionsForNextWorker()} gave it
	 * @param exitCode its exit code
	 */
	public synchronized void workerExited(List<String> options, int exitCode) {
		if (this.writer == null || options != this.writer) {
			return;
		}
		this.writer = null;
		try {
			if (exitCode == 0 && Files.size(this.pending) > 0) {
				Files.move(this.pending, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				logger.info("Wrote the class data archive " + this.file);
				removeOlderArchives();
			}
		}
		catch (IOException ex) {
			logger.warn("Cannot publish the class data archive " + this.file + ": " + ex.getMessage());
		}
		finally {
			try {
				Files.deleteIfExists(this.pending);
				// An AOT cache is made from a training record that a killed worker leaves behind.
				Files.deleteIfExists(Path.of(this.pending + ".config"));
			}
			catch (IOException ex) {
				logger.debug("Cannot delete " + this.pending, ex);
			}
		}
	}

	/**
	 * Whether workers can map an archive now.
	 * @return whether the archive is there
	 */
	public boolean isPublished() {
		return this.file != null && Files.isReadable(this.file);
	}

	private void removeOlderArchives() throws IOException {
		try (DirectoryStream<Path> archives = Files.newDirectoryStream(this.file.getParent(),
				this.launchPrefix + "*" + this.format.extension)) {
			for (Path archive : archives) {
				if (!archive.equals(this.file)) {
					Files.deleteIfExists(archive);
				}
			}
		}
	}

	/**
	 * Writes of servers that died before they could publish them: {@code .<name>.<pid>.jsa.tmp},
	 * and the training record an AOT cache is made from, {@code .<name>.<pid>.aot.tmp.config},
	 * whatever archive they were writing.
	 */
	private static void removeAbandonedWrites(Path directory) {
		try (DirectoryStream<Path> pending = Files.newDirectoryStream(directory, ".*.tmp*")) {
			for (Path file : pending) {
				String[] parts = file.getFileName().toString().split("\\.");
				String pid = (parts.length > 2) ? parts[2] : "";
				boolean alive = !pid.isEmpty() && pid.chars().allMatch(Character::isDigit)
						&& ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
				if (!alive) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot clean up " + directory, ex);
		}
	}

	static String whyUnsupported(List<String> command) {
		if (command.stream().anyMatch((option) -> OWN_CDS_OPTIONS.stream().anyMatch(option::startsWith))) {
			return "the JVM options set class data sharing already";
		}
		int jar = command.indexOf("-jar");
		if (jar >= 0 && jar + 1 < command.size()) {
			return SpringBootJars.isFatJar(Path.of(command.get(jar + 1)))
					? "classes inside a fat jar cannot be archived; turn the worker cache on (mosec.worker.cache.enabled), "
							+ "or run the extracted application (java -Djarmode=tools -jar app.jar extract)"
					: null;
		}
		int classpath = command.indexOf("-cp");
		if (classpath >= 0 && classpath + 1 < command.size()) {
			for (String entry : command.get(classpath + 1).split(File.pathSeparator)) {
				if (isNonEmptyDirectory(Path.of(entry))) {
					return "the classpath has a directory (" + entry + "); the JDK archives classes from jars only";
				}
			}
		}
		return null;
	}

	private static boolean isNonEmptyDirectory(Path path) {
		if (!Files.isDirectory(path)) {
			return false;
		}
		try (Stream<Path> entries = Files.list(path)) {
			return entries.findAny().isPresent();
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** The files the command loads classes from, and the JVM that loads them: a rebuild changes this. */
	private static String version(List<String> command) {
		StringBuilder version = new StringBuilder();
		version.append(System.getProperty("java.home")).append('\n')
			.append(System.getProperty("java.vm.version")).append('\n');
		for (int i = 1; i < command.size(); i++) {
			String option = command.get(i - 1);
			if (option.equals("-jar") || option.equals("-cp")) {
				for (String entry : command.get(i).split(File.pathSeparator)) {
					File file = new File(entry);
					version.append(entry).append(' ').append(file.length()).append(' ').append(file.lastModified())
						.append('\n');
				}
			}
		}
		return version.toString();
	}

}
