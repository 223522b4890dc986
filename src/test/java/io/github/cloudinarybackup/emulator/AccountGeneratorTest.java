package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Generated accounts: deterministic, varied, and lazy about content even at 100k assets. */
class AccountGeneratorTest {

  @Test
  void sameArgumentsGiveTheSameAccount() {
    EmulatorAccount a = EmulatorAccount.generate(5, 2000, FolderMode.DYNAMIC);
    EmulatorAccount b = EmulatorAccount.generate(5, 2000, FolderMode.DYNAMIC);
    assertEquals(describe(a), describe(b));
    assertEquals(a.apiKey(), b.apiKey());
    assertNotEquals(describe(a), describe(EmulatorAccount.generate(6, 2000, FolderMode.DYNAMIC)));
  }

  /**
   * Other tests and the benchmarks depend on the default accounts: these digests were taken before
   * delivery types could be restricted, and must not change.
   */
  @Test
  void defaultAccountsAreTheAccountsTheyWere() {
    assertEquals(
        "3959ed9411fa626b96f13e393c38ee8b6b50ff0fc0aaea03923135f46670caf9",
        digest(EmulatorAccount.generate(1, 3000, FolderMode.FIXED)));
    assertEquals(
        "ec8128aaa7d445cb1d68853b61111f9acda499de9e1fcdc4fa700036a709c446",
        digest(EmulatorAccount.generate(9, 2000, FolderMode.DYNAMIC, 64, 128)));
    assertEquals(
        "52131a048aa7331747cfda02affd15912f788f141e09c195a761e045d80a1f2a",
        digest(EmulatorAccount.generate(1, 700, FolderMode.FIXED, 20480, 40960)));
    assertEquals(
        "52131a048aa7331747cfda02affd15912f788f141e09c195a761e045d80a1f2a",
        digest(
            EmulatorAccount.generate(
                1,
                700,
                FolderMode.FIXED,
                20480,
                40960,
                Set.of("youtube", "fetch", "facebook", "authenticated", "private", "upload"))));
  }

  @Test
  void uploadOnlyAccountsKeepTheVarietyOfNamesAndSizes() {
    EmulatorAccount account =
        EmulatorAccount.generate(1, 3000, FolderMode.FIXED, 20480, 40960, Set.of("upload"));
    assertEquals(3000, account.size());
    assertTrue(
        account.assets().stream().allMatch(a -> a.type().equals("upload") && a.hasOriginal()));
    assertTrue(account.assets().stream().allMatch(a -> a.bytes() >= 20480 && a.bytes() <= 40960));
    assertEquals(
        Set.of("image", "video", "raw"),
        account.assets().stream().map(EmulatedAsset::resourceType).collect(Collectors.toSet()));
    assertTrue(account.assets().stream().anyMatch(a -> a.publicId().contains("東京")));
    assertTrue(account.assets().stream().anyMatch(a -> a.publicId().contains(" ")));
    assertTrue(account.assets().stream().anyMatch(a -> a.publicId().contains("+")));
    assertTrue(
        account.assets().stream()
            .anyMatch(a -> a.publicId().codePoints().anyMatch(c -> c > 0xFFFF)));
    assertEquals(
        describe(account),
        describe(
            EmulatorAccount.generate(1, 3000, FolderMode.FIXED, 20480, 40960, Set.of("upload"))));
    // The same draws as the default account: its assets with an original are the same assets, as
    // upload ones;
    // its remote assets are replaced by others.
    EmulatorAccount all = EmulatorAccount.generate(1, 3000, FolderMode.FIXED, 20480, 40960);
    for (EmulatedAsset a : all.assets()) {
      if (a.hasOriginal()) {
        assertEquals(
            describe(a.toBuilder().type("upload").build()),
            describe(account.byAssetId(a.assetId()).orElseThrow()));
      } else {
        assertTrue(account.byAssetId(a.assetId()).isEmpty(), a::toString);
      }
    }
    assertTrue(all.assets().stream().filter(EmulatedAsset::hasOriginal).count() < 3000);
  }

  @Test
  void typesRestrictTheAccountToThem() {
    EmulatorAccount account =
        EmulatorAccount.generate(4, 2000, FolderMode.DYNAMIC, 64, 128, Set.of("private", "fetch"));
    Map<String, Long> types =
        account.assets().stream()
            .collect(Collectors.groupingBy(EmulatedAsset::type, Collectors.counting()));
    assertEquals(Set.of("private", "fetch"), types.keySet());
    assertTrue(types.get("fetch") < 0.1 * 2000, types::toString);
    EmulatorAccount remoteOnly =
        EmulatorAccount.generate(4, 100, FolderMode.FIXED, 64, 128, Set.of("youtube"));
    assertTrue(
        remoteOnly.assets().stream().allMatch(a -> a.type().equals("youtube") && !a.hasOriginal()));
    for (Set<String> bad : List.of(Set.<String>of(), Set.of("upload", "public"))) {
      assertThrows(
          IllegalArgumentException.class,
          () -> EmulatorAccount.generate(1, 10, FolderMode.FIXED, 64, 128, bad),
          bad::toString);
    }
  }

  @Test
  void hundredThousandAssetsKeepNoContentInMemory() {
    // 1 MiB each: holding the content would need about 100 GiB, far more than any test heap, so
    // generating
    // the account at all shows that content is produced on demand.
    EmulatorAccount account =
        EmulatorAccount.generate(1, 100_000, FolderMode.FIXED, 1 << 20, 1 << 20);
    assertEquals(100_000, account.size());
    assertTrue(
        100_000L << 20 > Runtime.getRuntime().maxMemory(), "the heap could hold all content");
    EmulatedAsset some =
        account.assets().stream().filter(EmulatedAsset::hasOriginal).findFirst().orElseThrow();
    assertEquals(1 << 20, some.content().length);
    assertEquals(some.md5(), some.toBuilder().build().md5());
  }

  @Test
  void accountsMixEveryKindOfAssetAndName() {
    EmulatorAccount account = EmulatorAccount.generate(9, 3000, FolderMode.FIXED, 64, 128);
    Map<String, Long> types =
        account.assets().stream()
            .collect(Collectors.groupingBy(EmulatedAsset::type, Collectors.counting()));
    assertTrue(
        types
            .keySet()
            .containsAll(
                Set.of("upload", "private", "authenticated", "facebook", "fetch", "youtube")),
        types::toString);
    assertTrue(types.get("upload") > 0.6 * 3000 && types.get("private") > 0.05 * 3000);
    assertEquals(
        Set.of("image", "video", "raw"),
        account.assets().stream().map(EmulatedAsset::resourceType).collect(Collectors.toSet()));
    int maxDepth =
        account.assets().stream()
            .filter(EmulatedAsset::hasOriginal)
            .mapToInt(a -> a.publicId().split("/").length - 1)
            .max()
            .orElseThrow();
    assertEquals(4, maxDepth);
    List<EmulatedAsset> raw =
        account.assets().stream().filter(a -> a.resourceType().equals("raw")).toList();
    assertTrue(raw.stream().allMatch(a -> a.format() == null));
    assertTrue(raw.stream().anyMatch(a -> lastSegment(a).contains(".")));
    assertTrue(raw.stream().anyMatch(a -> !lastSegment(a).contains(".")));
    assertTrue(account.assets().stream().anyMatch(a -> a.publicId().contains("東京")));
    assertTrue(account.assets().stream().anyMatch(a -> a.publicId().contains(" ")));
    assertTrue(
        account.assets().stream()
            .anyMatch(a -> a.publicId().codePoints().anyMatch(c -> c > 0xFFFF)));
    assertTrue(
        account.assets().stream().filter(a -> !a.hasOriginal()).allMatch(a -> a.bytes() == 0));
    assertTrue(
        account.assets().stream()
            .allMatch(a -> a.bytes() == 0 || a.bytes() >= 64 && a.bytes() <= 128));
  }

  @Test
  void dynamicAccountsHaveFoldersApartFromPublicIdsAndRepeatedDisplayNames() {
    EmulatorAccount account = EmulatorAccount.generate(9, 3000, FolderMode.DYNAMIC);
    List<EmulatedAsset> stored =
        account.assets().stream().filter(EmulatedAsset::hasOriginal).toList();
    assertTrue(stored.stream().allMatch(a -> a.assetFolder() != null && a.displayName() != null));
    assertTrue(
        stored.stream()
            .noneMatch(
                a -> !a.assetFolder().isEmpty() && a.publicId().startsWith(a.assetFolder())));
    Map<String, Long> namesPerFolder =
        stored.stream()
            .collect(
                Collectors.groupingBy(
                    a -> a.assetFolder() + "\u0000" + a.displayName(), Collectors.counting()));
    assertTrue(
        namesPerFolder.values().stream().anyMatch(n -> n > 1),
        "some display names repeat in a folder");
  }

  @Test
  void demoAccountIsSmallAndVaried() {
    EmulatorAccount demo = EmulatorAccount.demo();
    assertEquals("demo-cloud", demo.cloudName());
    assertEquals(FolderMode.FIXED, demo.folderMode());
    assertTrue(demo.size() >= 24 && demo.size() <= 60);
    assertTrue(
        demo.assets().stream()
            .map(EmulatedAsset::type)
            .collect(Collectors.toSet())
            .containsAll(Set.of("upload", "private", "authenticated", "facebook")));
  }

  private static String lastSegment(EmulatedAsset asset) {
    return asset.publicId().substring(asset.publicId().lastIndexOf('/') + 1);
  }

  private static List<String> describe(EmulatorAccount account) {
    Function<EmulatedAsset, String> line = AccountGeneratorTest::describe;
    return account.assets().stream()
        .sorted(Comparator.comparing(EmulatedAsset::assetId))
        .map(line)
        .toList();
  }

  /**
   * Every field and the content's MD5; the context sorted, since it is built from a Map.of, whose
   * order varies.
   */
  private static String describe(EmulatedAsset a) {
    return String.join(
        "|",
        a.assetId(),
        a.publicId(),
        a.resourceType(),
        a.type(),
        String.valueOf(a.format()),
        String.valueOf(a.version()),
        a.createdAt().toString(),
        String.valueOf(a.assetFolder()),
        String.valueOf(a.displayName()),
        a.tags().toString(),
        new TreeMap<>(a.context()).toString(),
        a.metadata().toString(),
        String.valueOf(a.md5()));
  }

  /** SHA-256 of the credentials and every asset described, in asset_id order. */
  private static String digest(EmulatorAccount account) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (account.cloudName() + "|" + account.apiKey() + "|" + account.apiSecret() + "\n")
              .getBytes(StandardCharsets.UTF_8));
      for (String line : describe(account)) {
        sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
