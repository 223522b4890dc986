package io.github.cloudinarybackup.it;

import static io.github.cloudinarybackup.it.BackupHarness.backup;
import static io.github.cloudinarybackup.it.BackupHarness.manifest;
import static io.github.cloudinarybackup.it.BackupHarness.md5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.EmulatedAsset;
import io.github.cloudinarybackup.emulator.EmulatorAccount;
import io.github.cloudinarybackup.emulator.FolderMode;
import io.github.cloudinarybackup.emulator.RecordedRequest.Kind;
import io.github.cloudinarybackup.it.BackupHarness.Result;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery types, a public_id prefix, or a Search API expression narrow what is backed up. */
class FiltersIT {

  @TempDir Path tmp;

  /** The backup holds exactly the assets the filter selects, each byte-exact. */
  private static void assertExactly(
      EmulatorAccount account, Path dir, Predicate<EmulatedAsset> selected) throws Exception {
    Map<String, Map<String, Object>> manifest = manifest(dir);
    Set<String> expected =
        account.assets().stream()
            .filter(selected)
            .map(EmulatedAsset::assetId)
            .collect(Collectors.toSet());
    assertTrue(expected.size() > 3, "the filter selects something: " + expected.size());
    assertEquals(expected, manifest.keySet());
    for (EmulatedAsset a : account.assets()) {
      if (expected.contains(a.assetId()) && a.hasOriginal()) {
        assertEquals(
            a.md5(),
            md5(dir.resolve((String) manifest.get(a.assetId()).get("path"))),
            a.publicId());
      }
    }
  }

  @Test
  void aSearchExpressionSelectsAndItsEtagsAreVerified() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(81, 300, FolderMode.DYNAMIC);
    String tag =
        account.assets().stream().flatMap(a -> a.tags().stream()).findFirst().orElseThrow();
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path dir = tmp.resolve("search");
      Result run = backup(emulator, dir, "backup.search-expression", "tags:" + tag);
      assertEquals(0, run.exitCode(), run.err() + run.out());
      assertExactly(account, dir, a -> a.tags().contains(tag));
      assertTrue(
          emulator.requests().stream()
              .anyMatch(
                  r ->
                      r.kind() == Kind.ADMIN
                          && r.method().equals("POST")
                          && r.path().endsWith("/resources/search")),
          "listed through the Search API");
    }
  }

  @Test
  void deliveryTypesAndPrefixSelectAndAFilteredRunMarksNothingDeleted() throws Exception {
    EmulatorAccount account = EmulatorAccount.generate(82, 400, FolderMode.FIXED);
    try (CloudinaryEmulator emulator = CloudinaryEmulator.start(account)) {
      Path types = tmp.resolve("types");
      assertEquals(
          0, backup(emulator, types, "backup.delivery-types", "private,authenticated").exitCode());
      assertExactly(
          account, types, a -> a.type().equals("private") || a.type().equals("authenticated"));

      String prefix =
          account.assets().stream()
              .map(EmulatedAsset::publicId)
              .filter(p -> p.contains("/"))
              .map(p -> p.substring(0, p.indexOf('/') + 1))
              .findFirst()
              .orElseThrow();
      Path prefixed = tmp.resolve("prefix");
      assertEquals(0, backup(emulator, prefixed, "backup.prefix", prefix).exitCode());
      assertExactly(account, prefixed, a -> a.publicId().startsWith(prefix));

      Path full = tmp.resolve("full");
      assertEquals(0, backup(emulator, full).exitCode());
      Result filtered = backup(emulator, full, "backup.prefix", prefix);
      assertEquals(0, filtered.exitCode(), filtered.err());
      assertTrue(
          manifest(full).values().stream().noneMatch(line -> "deleted".equals(line.get("status"))),
          "assets outside the filter are not deleted");
    }
  }
}
