package io.github.cloudinarybackup.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudinarybackup.BackupCommand;
import io.github.cloudinarybackup.emulator.CloudinaryEmulator;
import io.github.cloudinarybackup.emulator.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the real backup (Camel Main, YAML routes, SDK) in-process against an emulator. */
final class BackupHarness {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one run left behind. */
  record Result(int exitCode, String out, String err) {}

  private BackupHarness() {}

  static Result backup(CloudinaryEmulator emulator, Path backupDir, String... extraSettings) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("cloudinary.url", emulator.cloudinaryUrl());
    settings.put("backup.dir", backupDir.toString());
    for (int i = 0; i < extraSettings.length; i += 2) {
      settings.put(extraSettings[i], extraSettings[i + 1]);
    }
    return backup(settings);
  }

  static Result backup(Map<String, String> settings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new BackupCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .backup(settings);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The manifest's lines, keyed by asset_id. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> manifest(Path backupDir) throws IOException {
    Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
    for (String line : Files.readAllLines(backupDir.resolve(".cloudinary-backup/manifest.jsonl"))) {
      Map<String, Object> entry = JSON.readValue(line, Map.class);
      byId.put((String) entry.get("asset_id"), entry);
    }
    return byId;
  }

  /**
   * Every regular file below the backup folder except the tool's own state, relative and
   * '/'-separated.
   */
  static List<String> files(Path backupDir) throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(backupDir)) {
      walk.filter(Files::isRegularFile)
          .map(p -> backupDir.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.startsWith(".cloudinary-backup/"))
          .forEach(files::add);
    }
    return files;
  }

  /**
   * Originals the emulator served (delivery URLs and the signed download endpoint), answered 200.
   */
  static long downloads(CloudinaryEmulator emulator) {
    return emulator.requests().stream()
        .filter(
            r ->
                (r.kind() == RecordedRequest.Kind.DELIVERY
                        || r.kind() == RecordedRequest.Kind.DOWNLOAD)
                    && r.status() == 200)
        .count();
  }

  static String md5(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("MD5");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The temporary files (".~cb…") anywhere in the backup folder: a failed or stopped download
   * leaves none.
   */
  static List<String> temporaries(Path backupDir) throws IOException {
    if (!Files.exists(backupDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(backupDir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".~cb")).toList();
    }
  }
}
