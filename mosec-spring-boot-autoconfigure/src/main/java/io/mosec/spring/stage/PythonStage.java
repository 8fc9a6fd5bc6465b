package io.mosec.spring.stage;

/**
 * What makes a stage a Python one: the class its workers run, and what the server learned of it
 * from the interpreter before starting them.
 *
 * @param target the class, {@code path/to/file.py:Class} or {@code package.module:Class}
 * @param mediaType the content type of its responses at egress ({@code resp_mime_type})
 * @param streaming whether it is an {@code SSEWorker}
 */
public record PythonStage(String target, String mediaType, boolean streaming) {

}
