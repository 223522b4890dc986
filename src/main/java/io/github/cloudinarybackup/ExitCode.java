package io.github.cloudinarybackup;

/** The documented exit codes of a backup run. */
public final class ExitCode {

  /** Every asset in scope is backed up or recorded as having no original. */
  public static final int OK = 0;

  /** The run finished but some assets failed; they are listed in the summary and the manifest. */
  public static final int FAILURES = 1;

  /** Bad configuration or credentials; nothing was written. */
  public static final int CONFIGURATION = 2;

  /**
   * The run stopped part-way (e.g. the API kept failing); the catalog is intact, rerun to resume.
   */
  public static final int ABORTED = 3;

  private ExitCode() {}
}
