package io.mosec.spring.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mosec.spring.api.FieldError;

/**
 * The payload of a failed item in a reply: the problem detail and, for invalid input, the
 * fields at fault. JSON, so that a person reading a captured frame can read it too.
 *
 * @param detail the problem detail, in Mosec's words
 * @param errors the invalid fields, empty unless the input failed validation
 */
public record ErrorReport(String detail, List<FieldError> errors) {

	// Jackson's mappers are thread-safe; this one only (de)serialises this record.
	private static final JsonMapper JSON = JsonMapper.builder().build();

	public ErrorReport {
		errors = (errors != null) ? List.copyOf(errors) : List.of();
	}

	/**
	 * A report without field errors.
	 * @param detail the problem detail
	 */
	public ErrorReport(String detail) {
		this(detail, List.of());
	}

	/**
	 * Encodes the report for a reply item.
	 * @return the payload
	 */
	public byte[] toBytes() {
		try {
			return JSON.writeValueAsBytes(this);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot encode an error report", ex);
		}
	}

	/**
	 * Decodes the payload of a failed reply item; a payload that is not a report (a worker of
	 * another version) is taken as the detail itself.
	 * @param payload the payload
	 * @return the report
	 */
	public static ErrorReport fromBytes(byte[] payload) {
		try {
			ErrorReport report = JSON.readValue(payload, ErrorReport.class);
			if (report != null && report.detail() != null) {
				return report;
			}
		}
		catch (IOException ex) {
			// Not a report: fall through.
		}
		return new ErrorReport(new String(payload, StandardCharsets.UTF_8));
	}

}
