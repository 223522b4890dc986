package io.github.cloudinarybackup.emulator;

/** The failures {@link EmulatorFaults} can inject into a response. */
public enum FaultKind {
    /** A permanent refusal, as for an original that was removed between listing and download. */
    STATUS_404,
    /** An authorization failure, as for an expired or wrong signature. */
    STATUS_401,
    STATUS_500,
    STATUS_502,
    STATUS_503,
    /** Declares the full Content-Length, sends about half of the body, then closes the connection. */
    TRUNCATED_BODY,
    /**
     * Closes the connection without sending any response (an orderly close; HttpServer cannot send a TCP RST).
     * HTTP clients may retry an idempotent request once after this, so inject two to make a GET fail for sure.
     */
    CONNECTION_RESET,
    /** A 500 whose body is an HTML page, as a misbehaving proxy would send. */
    HTML_ERROR_PAGE,
    /** A 200 whose body is not valid JSON. Admin API only. */
    MALFORMED_JSON
}
