package io.github.cloudinarybackup.cli;

import io.github.cloudinarybackup.ExitCode;
import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.catalog.Catalog;
import io.github.cloudinarybackup.catalog.CatalogUnusableException;
import io.github.cloudinarybackup.cloudinary.AccountInventory;
import io.github.cloudinarybackup.cloudinary.CloudinaryAdmin;
import io.github.cloudinarybackup.cloudinary.CloudinaryRetry;
import io.github.cloudinarybackup.config.CloudinaryCredentials;
import io.github.cloudinarybackup.config.ConfigurationException;
import io.github.cloudinarybackup.files.BackupFolder;
import io.github.cloudinarybackup.verify.BackupVerifier;
import io.github.cloudinarybackup.verify.BackupVerifier.Finding;
import io.github.cloudinarybackup.verify.BackupVerifier.Report;
import io.github.cloudinarybackup.verify.RemoteComparison;
import io.github.cloudinarybackup.verify.RemoteComparison.Change;
import io.github.cloudinarybackup.verify.RemoteComparison.Difference;
import io.github.cloudinarybackup.verify.VerifySubset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify}: reads the backup's files again and compares them with the catalog; offline. */
@Command(
    name = "verify",
    header =
        "Check the backup's files against the catalog (size and MD5), offline; or, with --remote, the backup"
            + " against the account.",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
      "%nReads every file the catalog says is backed up (or a subset) and compares its size and MD5 with the"
          + " catalog's; lists missing, corrupt and unexpected files. A missing or corrupt file is marked in the"
          + " catalog so that the next backup downloads it again. Nothing is sent to Cloudinary.%n"
    },
    footer = {
      "",
      "Exit codes: 0 every file checked is as the catalog has it (--remote: the account has not changed"
          + " since the backup), 1 some are not (listed), 2 no usable catalog, credentials or a bad option."
    })
final class VerifySubcommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin BackupLocation location;

  @Option(
      names = "--subset",
      paramLabel = "<n/t|x%|count>",
      description =
          "check only part of the files: the n-th of t parts (the same files each time: t runs cover all),"
              + " a percentage or a number of files chosen at random")
  String subset;

  @Option(
      names = "--seed",
      paramLabel = "<number>",
      description = "the seed of a random subset (printed; default: random)")
  Long seed;

  @Option(
      names = "--remote",
      description =
          "instead of reading the files, list the account (CLOUDINARY_URL; one Admin call per 500 assets)"
              + " and report what changed since the backup: new, changed (version or bytes) and deleted upstream")
  boolean remote;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VerifySubset chosen;
    try {
      chosen =
          subset == null
              ? VerifySubset.all()
              : VerifySubset.parse(subset, seed != null ? seed : System.nanoTime());
    } catch (IllegalArgumentException e) {
      err.println("cloudinary-backup: " + e.getMessage());
      return ExitCode.CONFIGURATION;
    }
    BackupLocation.Found backup;
    try {
      backup = location.find();
    } catch (IllegalArgumentException e) {
      err.println("cloudinary-backup: " + e.getMessage());
      return ExitCode.CONFIGURATION;
    }
    Path root = backup.root();
    Path catalogPath = backup.catalog();
    if (remote) {
      return remote(out, err, root, catalogPath);
    }
    long started = System.nanoTime();
    Report report;
    try (Catalog catalog = Catalog.open(catalogPath)) {
      if (catalog.unfinishedRun().isPresent()) {
        err.println(
            "cloudinary-backup: note: the last backup into "
                + root
                + " did not finish; files it wrote after"
                + " its last commit may show as unexpected (run the backup again to complete it)");
      }
      report = new BackupVerifier(new BackupFolder(root, false, true), catalog, chosen).verify();
    } catch (CatalogUnusableException e) {
      err.println(
          "cloudinary-backup: cannot verify with the catalog "
              + catalogPath
              + ": "
              + e.getMessage()
              + (e.damaged() ? " (a backup run rebuilds it from the manifest and the files)" : ""));
      return ExitCode.CONFIGURATION;
    } catch (Exception e) {
      err.println("cloudinary-backup: verify stopped: " + Messages.oneLine(e));
      return ExitCode.ABORTED;
    }
    print(out, root, chosen, report, (System.nanoTime() - started) / 1e9);
    return report.clean() ? ExitCode.OK : ExitCode.FAILURES;
  }

  /** {@code --remote}: the catalog against one listing of the account. */
  private int remote(PrintWriter out, PrintWriter err, Path root, Path catalogPath) {
    String url = BackupLocation.cloudinaryUrl().orElse(null);
    if (url == null) {
      err.println("cloudinary-backup: --remote lists the account: set CLOUDINARY_URL");
      return ExitCode.CONFIGURATION;
    }
    long started = System.nanoTime();
    List<Difference> differences;
    AccountInventory account;
    try (Catalog catalog = Catalog.open(catalogPath)) {
      CloudinaryAdmin admin = new CloudinaryAdmin(CloudinaryCredentials.fromUrl(url));
      admin.checkCredentialsAndFolderMode();
      account = AccountInventory.read(admin, new CloudinaryRetry(5, () -> false));
      differences = RemoteComparison.compare(catalog, account);
    } catch (ConfigurationException | CatalogUnusableException e) {
      err.println("cloudinary-backup: " + Messages.oneLine(e));
      return ExitCode.CONFIGURATION;
    } catch (Exception e) {
      err.println("cloudinary-backup: verify stopped: " + Messages.oneLine(e));
      return ExitCode.ABORTED;
    }
    for (Difference d : differences) {
      out.printf(
          Locale.ROOT,
          "%-8s %s: %s%n",
          d.change().name().toLowerCase(Locale.ROOT),
          d.asset(),
          d.detail());
    }
    out.printf(
        Locale.ROOT,
        "%nCompared the backup in %s with the account's %,d assets in %.2f s (%d Admin calls)%n",
        root,
        account.size(),
        (System.nanoTime() - started) / 1e9,
        account.calls() + 1);
    for (Change change : Change.values()) {
      out.printf(
          Locale.ROOT,
          "  %-8s %,d%n",
          change.name().toLowerCase(Locale.ROOT),
          differences.stream().filter(d -> d.change() == change).count());
    }
    if (!differences.isEmpty()) {
      out.println("The next backup brings the backup up to date.");
    }
    out.flush();
    return differences.isEmpty() ? ExitCode.OK : ExitCode.FAILURES;
  }

  private static void print(
      PrintWriter out, Path root, VerifySubset chosen, Report report, double seconds) {
    String part =
        chosen.random()
            ? " (subset "
                + chosen
                + ", seed "
                + chosen.seed()
                + ": rerun with --seed "
                + chosen.seed()
                + ")"
            : chosen.toString().equals("all") ? "" : " (subset " + chosen + ")";
    for (BackupVerifier.Problem problem : report.problems()) {
      out.printf(
          Locale.ROOT,
          "%-10s %s: %s%n",
          problem.finding().name().toLowerCase(Locale.ROOT),
          problem.path(),
          problem.detail());
    }
    out.printf(
        Locale.ROOT,
        "%nVerified %,d of the %,d files backed up in %s%s in %.2f s%n",
        report.checked(),
        report.inCatalog(),
        root,
        part,
        seconds);
    out.printf(Locale.ROOT, "  ok          %,d%n", report.ok());
    out.printf(Locale.ROOT, "  missing     %,d%n", report.count(Finding.MISSING));
    out.printf(Locale.ROOT, "  corrupt     %,d%n", report.count(Finding.CORRUPT));
    out.printf(
        Locale.ROOT,
        "  unexpected  %,d (files no asset of the catalog holds; left as they are)%n",
        report.count(Finding.UNEXPECTED));
    long repair = report.count(Finding.MISSING) + report.count(Finding.CORRUPT);
    if (repair > 0) {
      out.printf(
          Locale.ROOT,
          "The next backup downloads the %,d missing or corrupt files again.%n",
          repair);
    }
    out.flush();
  }
}
