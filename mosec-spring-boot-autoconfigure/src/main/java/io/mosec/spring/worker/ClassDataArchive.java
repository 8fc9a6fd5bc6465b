package io.mosec.spring.worker;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The class data sharing (CDS) archive of one stage's workers. Most of a worker's start is
 * spent loading, parsing and verifying the same few thousand classes; a JVM that maps them
 * from an archive starts about a third faster (BENCHMARKS.md). The JDK writes such an archive
 * when a JVM started with {@code -XX:ArchiveClassesAtExit} (or, from JDK 25, an AOT cache with
 * {@code -XX:AOTCacheOutput}, faster still) exits normally, so one worker at a time of a stage
 * without an archive writes it when it stops (to a temporary file, published only if the worker
 * exited cleanly), and every worker launched after that maps it.
 * <p>
 * The file name carries a digest of the command (the {@code java}, the JVM options, the
 * classpath or jar) and one of what it loads (the JDK's version, the size and modification time
 * of each classpath file): a rebuilt application or another JDK gets an archive of its own
 * rather than one the JVM would reject, and publishing it removes the one it replaces.
 */
public final class ClassDataArchive {

	private static final Log logger = LogFactory.getLog(ClassDataArchive.class);

	/** No archive: workers start as they would without one. */
	public static final ClassDataArchive NONE = new ClassDataArchive(null, null, null, null);

	/** JVM options that show the user manages class data sharing (or the AOT cache) already. */
	private static final List<String> OWN_CDS_OPTIONS = List.of("-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit",
			"-XX:+AutoCreateSharedArchive", "-Xshare:", "-XX:AOTCache", "-XX:AOTMode", "-XX:AOTConfiguration");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

	private final Format format;

	private final Path file;

	private final Path pending;

	private final String launchPrefix;

	/** The options of the worker that is writing the archive now, if one is. */
	private List<String> writer;

	private ClassDataArchive(Format format, Path file, Path pending, String launchPrefix) {
		this.format = format;
		this.file = file;
		this.pending = pending;
		this.launchPrefix = launchPrefix;
	}

	/**
	 * The archive for the workers of a stage started with {@code command}; {@link #NONE} when
	 * {@code directory} is {@code null}, or when the command cannot use an archive of ours
	 * (logged with the reason).
	 * @param directory where archives are kept, or {@code null} for none
	 * @param stageName the stage's name
	 * @param command the worker command up to its main class or jar: {@code java}, JVM options
	 * and launch target
	 * @return the stage's archive
	 */
	public static ClassDataArchive of(Path directory, String stageName, List<String> command) {
		return of(directory, stageName, command, Format.ofThisJvm());
	}

	static ClassDataArchive of(Path directory, String stageName, List<String> command, Format format) {
		if (directory == null) {
			return NONE;
		}
		String unsupported = (format != null) ? whyUnsupported(command)
				: "this JVM writes no class data archives (HotSpot does, from JDK 13)";
		if (unsupported != null) {
			logger.info("Stage '" + stageName + "' workers start without a class data archive (mosec.worker.cds-dir): "
					+ unsupported);
			return NONE;
		}
		try {
			if (!Files.isDirectory(directory)) {
				// Owner-only, like the socket directory: the JVM trusts what it maps from here.
				Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
			}
		}
		catch (IOException ex) {
			logger.warn("Stage '" + stageName + "' workers start without a class data archive: cannot create "
					+ directory + " (mosec.worker.cds-dir): " + ex.getMessage());
			return NONE;
		}
		String safe = stageName.replaceAll("[^A-Za-z0-9_-]", "_");
		String launchPrefix = safe + "-" + digest(String.join("\n", command)).substring(0, 8) + "-";
		String name = launchPrefix + digest(version(command)).substring(0, 16);
		removeAbandonedWrites(directory, name, format);
		return new ClassDataArchive(format, directory.resolve(name + format.extension),
				directory.resolve("." + name + "." + ProcessHandle.current().pid() + format.extension + ".tmp"),
				launchPrefix);
	}

	/**
	 * JVM options for the next worker: map the archive if there is one; otherwise write it at
	 * exit, unless another worker is writing it already.
	 * @return options to add before the launch target; empty for none
	 */
	public synchronized List<String> optionsForNextWorker() {
		if (this.file == null) {
			return List.of();
		}
		if (Files.isReadable(this.file)) {
			return List.of(this.format.readOption + this.file);
		}
		if (this.writer != null) {
			return List.of();
		}
		this.writer = List.of(this.format.writeOption + this.pending, this.format.quietWrite);
		logger.info("No class data archive at " + this.file + " yet: the next worker writes it when it stops, "
				+ "so workers started after that start faster");
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

	/** The archive's path, or {@code null} for {@link #NONE}. */
	Path file() {
		return this.file;
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
	 * and the training record an AOT cache is made from, {@code .<name>.<pid>.aot.tmp.config}.
	 */
	private static void removeAbandonedWrites(Path directory, String name, Format format) {
		try (DirectoryStream<Path> pending = Files.newDirectoryStream(directory,
				"." + name + ".*" + format.extension + ".tmp*")) {
			for (Path file : pending) {
				String pid = file.getFileName().toString().substring(name.length() + 2).split("\\.")[0];
				boolean alive = pid.chars().allMatch(Character::isDigit)
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
			return isFatJar(command.get(jar + 1))
					? "classes inside a fat jar cannot be archived; run the extracted application "
							+ "(java -Djarmode=tools -jar app.jar extract), as Spring Boot's CDS support does"
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

	private static boolean isFatJar(String path) {
		try (JarFile jar = new JarFile(path)) {
			return jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
		}
		catch (IOException ex) {
			return false;
		}
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

	private static String digest(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * How the JVM writes and maps an archive.
	 */
	enum Format {

		/** JDK 25 and later: an AOT cache, which also holds classes linked and ready, about a quarter faster still. */
		AOT_CACHE("AOTCacheOutput", "-XX:AOTCache=", ".aot", "-Xlog:cds=error,aot=error"),

		/** JDK 13 and later: a dynamic CDS archive on top of the JDK's own. */
		DYNAMIC_ARCHIVE("ArchiveClassesAtExit", "-XX:SharedArchiveFile=", ".jsa", "-Xlog:cds=error");

		final String writeOption;

		final String readOption;

		final String extension;

		/** Writing reports every class it skips (JFR events, old class versions) as a warning: noise. */
		final String quietWrite;

		private final String flag;

		Format(String flag, String readOption, String extension, String quietWrite) {
			this.flag = flag;
			this.writeOption = "-XX:" + flag + "=";
			this.readOption = readOption;
			this.extension = extension;
			this.quietWrite = quietWrite;
		}

		/** The best format this JVM (the one workers run on) writes, or {@code null}. */
		static Format ofThisJvm() {
			for (Format format : values()) {
				try {
					ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(format.flag);
					return format;
				}
				catch (RuntimeException | LinkageError ex) {
					// Not a flag of this JVM: try the next format.
				}
			}
			return null;
		}

	}

}
