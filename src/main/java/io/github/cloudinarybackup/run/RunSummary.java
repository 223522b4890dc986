package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.catalog.AssetRecord;
import io.github.cloudinarybackup.catalog.AssetStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The summary a finished run prints: what it did, and what the catalog holds now. */
final class RunSummary {

  private RunSummary() {}

  /**
   * @param adminCalls the Admin API calls this run made
   * @param pass what the pass over the catalog found
   */
  static void print(
      PrintStream out,
      BackupSession session,
      long adminCalls,
      ManifestPass.Result pass,
      Path manifestFile) {
    RunStatistics s = session.statistics();
    Map<AssetStatus, Long> counts = pass.counts();
    out.printf(
        Locale.ROOT,
        "%nBackup of cloud '%s' finished in %.2f s%n"
            + "  listed        %,d assets in %,d pages (%,d Admin API calls)%n"
            + "  downloaded    %,d originals, %,.1f MB%n"
            + "  unchanged     %,d already backed up%s%n"
            + "  no original   %,d remote assets, recorded in the catalog only%n"
            + "  failed        %,d%n"
            + "  deleted       %,d no longer in the account (files kept)%n"
            + "  rate limit    %,d calls refused; waited %.1f s in %,d pauses%n"
            + "%s"
            + "  catalog       %,d assets: %,d ok, %,d no original, %,d failed, %,d deleted%n"
            + "  folder        %s%n"
            + "  manifest      %s%n",
        session.config().credentials().cloudName(),
        s.elapsedSeconds(),
        s.listed.get(),
        s.pages.get(),
        adminCalls,
        s.downloaded.get(),
        s.bytes.get() / 1e6,
        s.unchanged.get(),
        s.moved.get() == 0
            ? ""
            : String.format(
                Locale.ROOT, " (%,d moved to the place the layout now gives them)", s.moved.get()),
        s.noOriginal.get(),
        pass.failedThisRun(),
        s.deleted.get(),
        s.rateLimited.get(),
        s.rateLimitWaitMillis.get() / 1e3,
        s.rateLimitWaits.get(),
        session.configurationSummary() == null
            ? ""
            : "  config        " + session.configurationSummary() + "\n",
        counts.values().stream().mapToLong(Long::longValue).sum(),
        counts.getOrDefault(AssetStatus.OK, 0L),
        counts.getOrDefault(AssetStatus.NO_ORIGINAL, 0L),
        counts.getOrDefault(AssetStatus.FAILED, 0L),
        counts.getOrDefault(AssetStatus.DELETED, 0L),
        session.config().backupDir().toAbsolutePath(),
        manifestFile.toAbsolutePath());
    if (!pass.failures().isEmpty()) {
      out.println("Failed assets (all of them are in the manifest with status \"failed\"):");
      for (AssetRecord r : pass.failures()) {
        out.printf("  %s/%s/%s: %s%n", r.resourceType(), r.type(), r.publicId(), r.reason());
      }
      if (pass.failedThisRun() > pass.failures().size()) {
        out.printf("  … and %,d more%n", pass.failedThisRun() - pass.failures().size());
      }
    }
    out.flush();
  }
}
