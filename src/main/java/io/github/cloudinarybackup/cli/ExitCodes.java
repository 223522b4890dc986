package io.github.cloudinarybackup.cli;

/**
 * The exit codes, as help shows them ({@link io.github.cloudinarybackup.ExitCode} defines them).
 */
final class ExitCodes {

  static final String TEXT =
      "Exit codes: 0 all backed up, 1 some assets failed, 2 bad command line, settings or"
          + " credentials (nothing written), 3 run stopped (rerun to resume), 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP.";

  private ExitCodes() {}
}
