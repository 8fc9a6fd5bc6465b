package io.mosec.spring.worker.launch;

import java.lang.management.ManagementFactory;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * How the JVM writes and maps an archive.
 */
enum ClassDataFormat {

	/**
	 * JDK 25 and later: an AOT cache, which also holds classes linked and ready, about a quarter
	 * faster still, and the method profiles of the training run, so it trains with the full JIT.
	 */
	AOT_CACHE("AOTCacheOutput", "-XX:AOTCache=", ".aot", "-Xlog:cds=error,aot=error", List.of()),

	/**
	 * JDK 13 and later: a dynamic CDS archive on top of the JDK's own. It holds classes only, so
	 * the training worker does without the optimising compiler, about half its CPU.
	 */
	DYNAMIC_ARCHIVE("ArchiveClassesAtExit", "-XX:SharedArchiveFile=", ".jsa", "-Xlog:cds=error",
			List.of("-XX:TieredStopAtLevel=1"));

	final String writeOption;

	final String readOption;

	final String extension;

	/** Writing reports every class it skips (JFR events, old class versions) as a warning: noise. */
	final String quietWrite;

	/** More options of the training worker. */
	final List<String> trainingOptions;

	private final String flag;

	ClassDataFormat(String flag, String readOption, String extension, String quietWrite, List<String> trainingOptions) {
		this.flag = flag;
		this.trainingOptions = trainingOptions;
		this.writeOption = "-XX:" + flag + "=";
		this.readOption = readOption;
		this.extension = extension;
		this.quietWrite = quietWrite;
	}

	/** The best format this JVM (the one workers run on) writes, or {@code null}. */
	static ClassDataFormat ofThisJvm() {
		for (ClassDataFormat format : values()) {
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
