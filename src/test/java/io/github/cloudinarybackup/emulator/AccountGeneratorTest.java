package io.github.cloudinarybackup.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    @Test
    void hundredThousandAssetsKeepNoContentInMemory() {
        long started = System.nanoTime();
        // 1 MiB each: holding the content would need about 100 GiB, far more than any test heap, so generating
        // the account at all shows that content is produced on demand. How long it took is only reported: it
        // depends on the machine and its load.
        EmulatorAccount account = EmulatorAccount.generate(1, 100_000, FolderMode.FIXED, 1 << 20, 1 << 20);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("generated 100,000 assets in %d ms (%.0f assets/s)%n", millis,
                100_000 * 1000.0 / Math.max(1, millis));
        assertEquals(100_000, account.size());
        assertTrue(100_000L << 20 > Runtime.getRuntime().maxMemory(), "the heap could hold all content");
        EmulatedAsset some = account.assets().stream().filter(EmulatedAsset::hasOriginal).findFirst().orElseThrow();
        assertEquals(1 << 20, some.content().length);
        assertEquals(some.md5(), some.toBuilder().build().md5());
    }

    @Test
    void accountsMixEveryKindOfAssetAndName() {
        EmulatorAccount account = EmulatorAccount.generate(9, 3000, FolderMode.FIXED, 64, 128);
        Map<String, Long> types = account.assets().stream()
                .collect(Collectors.groupingBy(EmulatedAsset::type, Collectors.counting()));
        assertTrue(types.keySet().containsAll(Set.of("upload", "private", "authenticated", "facebook", "fetch",
                "youtube")), types::toString);
        assertTrue(types.get("upload") > 0.6 * 3000 && types.get("private") > 0.05 * 3000);
        assertEquals(Set.of("image", "video", "raw"),
                account.assets().stream().map(EmulatedAsset::resourceType).collect(Collectors.toSet()));
        int maxDepth = account.assets().stream().filter(EmulatedAsset::hasOriginal)
                .mapToInt(a -> a.publicId().split("/").length - 1).max().orElseThrow();
        assertEquals(4, maxDepth);
        List<EmulatedAsset> raw = account.assets().stream().filter(a -> a.resourceType().equals("raw")).toList();
        assertTrue(raw.stream().allMatch(a -> a.format() == null));
        assertTrue(raw.stream().anyMatch(a -> lastSegment(a).contains(".")));
        assertTrue(raw.stream().anyMatch(a -> !lastSegment(a).contains(".")));
        assertTrue(account.assets().stream().anyMatch(a -> a.publicId().contains("東京")));
        assertTrue(account.assets().stream().anyMatch(a -> a.publicId().contains(" ")));
        assertTrue(account.assets().stream().anyMatch(a -> a.publicId().codePoints().anyMatch(c -> c > 0xFFFF)));
        assertTrue(account.assets().stream().filter(a -> !a.hasOriginal()).allMatch(a -> a.bytes() == 0));
        assertTrue(account.assets().stream().allMatch(a -> a.bytes() == 0 || a.bytes() >= 64 && a.bytes() <= 128));
    }

    @Test
    void dynamicAccountsHaveFoldersApartFromPublicIdsAndRepeatedDisplayNames() {
        EmulatorAccount account = EmulatorAccount.generate(9, 3000, FolderMode.DYNAMIC);
        List<EmulatedAsset> stored = account.assets().stream().filter(EmulatedAsset::hasOriginal).toList();
        assertTrue(stored.stream().allMatch(a -> a.assetFolder() != null && a.displayName() != null));
        assertTrue(stored.stream().noneMatch(a -> !a.assetFolder().isEmpty() && a.publicId().startsWith(a.assetFolder())));
        Map<String, Long> namesPerFolder = stored.stream().collect(Collectors.groupingBy(
                a -> a.assetFolder() + "\u0000" + a.displayName(), Collectors.counting()));
        assertTrue(namesPerFolder.values().stream().anyMatch(n -> n > 1), "some display names repeat in a folder");
    }

    @Test
    void demoAccountIsSmallAndVaried() {
        EmulatorAccount demo = EmulatorAccount.demo();
        assertEquals("demo-cloud", demo.cloudName());
        assertEquals(FolderMode.FIXED, demo.folderMode());
        assertTrue(demo.size() >= 24 && demo.size() <= 60);
        assertTrue(demo.assets().stream().map(EmulatedAsset::type).collect(Collectors.toSet())
                .containsAll(Set.of("upload", "private", "authenticated", "facebook")));
    }

    private static String lastSegment(EmulatedAsset asset) {
        return asset.publicId().substring(asset.publicId().lastIndexOf('/') + 1);
    }

    private static List<String> describe(EmulatorAccount account) {
        Function<EmulatedAsset, String> line = a -> String.join("|", a.assetId(), a.publicId(), a.resourceType(),
                a.type(), String.valueOf(a.format()), String.valueOf(a.version()), a.createdAt().toString(),
                String.valueOf(a.assetFolder()), String.valueOf(a.displayName()), a.tags().toString(),
                a.context().toString(), a.metadata().toString(), String.valueOf(a.md5()));
        return account.assets().stream().sorted(Comparator.comparing(EmulatedAsset::assetId)).map(line).toList();
    }
}
