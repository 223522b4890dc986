package io.github.cloudinarybackup.run;

import io.github.cloudinarybackup.Messages;
import io.github.cloudinarybackup.cloudinary.CloudinaryRateLimitException;
import io.github.cloudinarybackup.cloudinary.CloudinaryUnavailableException;
import io.github.cloudinarybackup.cloudinary.ConfigurationCall;
import io.github.cloudinarybackup.cloudinary.JsonValues;
import io.github.cloudinarybackup.config.BackupConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the account's configuration with every backup, in {@code .cloudinary-backup/config/}: the
 * structured metadata fields (with their datasources), upload presets, named transformations (with
 * their definitions), upload mappings, and the folder tree including empty folders. It takes a few
 * Admin calls, one at a time through the same rate-limit gate as the listing ({@link #nextCall} is
 * the call the routes make and, after a 420, make again); at most {@link #MAX_CALLS} a run. A part
 * the account does not offer (a 4xx) is noted and skipped; a part not read in full keeps its
 * previous file.
 */
public final class AccountConfigurationBackup {

  private static final Logger LOG = LoggerFactory.getLogger(AccountConfigurationBackup.class);

  /**
   * The most Admin calls a run spends on the configuration (a folder tree takes one per folder with
   * subfolders).
   */
  static final int MAX_CALLS = 100;

  static final String FOLDER = BackupConfiguration.STATE_FOLDER + "/config";

  private record Pending(ConfigurationCall what, String argument, String cursor) {}

  /**
   * A folder as folders.json keeps it, without the rest of the Admin API's answer: an account may
   * have tens of thousands, all held until the file is written, and the answers' maps took three
   * times the memory (a 100,000-asset backup's peak grew by 20 MB; docs/benchmarks.md, session 12).
   */
  private record Folder(Object name, Object path, Object externalId) {

    static Folder of(Map<String, Object> listed) {
      return new Folder(listed.get("name"), listed.get("path"), listed.get("external_id"));
    }

    Map<String, Object> asJson() {
      Map<String, Object> folder = new LinkedHashMap<>();
      folder.put("name", name);
      folder.put("path", path);
      folder.put("external_id", externalId);
      return folder;
    }
  }

  private final BackupSession session;
  private final boolean enabled;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final Map<ConfigurationCall, List<Map<String, Object>>> items =
      new EnumMap<>(ConfigurationCall.class);
  private final List<Folder> folders = new ArrayList<>();
  private final Map<String, Map<String, Object>> definitions = new LinkedHashMap<>();
  private final Map<ConfigurationCall, String> unavailable = new EnumMap<>(ConfigurationCall.class);
  private int calls;

  /**
   * @param enabled backup.account-configuration
   */
  public AccountConfigurationBackup(BackupSession session, boolean enabled) {
    this.session = session;
    this.enabled = enabled;
  }

  /** A run begins: every part is to be read (none in a dry run, which writes nothing). */
  public synchronized void start() {
    queue.clear();
    items.clear();
    folders.clear();
    definitions.clear();
    unavailable.clear();
    calls = 0;
    if (!enabled || session.config().dryRun()) {
      return;
    }
    for (ConfigurationCall part : ConfigurationCall.values()) {
      if (part.file() != null && part != ConfigurationCall.FOLDERS) {
        queue.add(new Pending(part, null, null));
      }
    }
    // every folder in a few calls; an account that refuses the folder search is walked level by
    // level
    queue.add(new Pending(ConfigurationCall.FOLDER_SEARCH, null, null));
  }

  /**
   * Whether another call is to be made: not once the run is stopping (what was not read keeps its
   * last copy).
   */
  public synchronized boolean hasNextCall() {
    return !queue.isEmpty() && calls < MAX_CALLS && session.stopping() == null;
  }

  /**
   * Makes the next Admin call; a refused or failed one stays first in line, for the routes to make
   * again.
   */
  public synchronized void nextCall() throws Exception {
    Pending next = queue.peekFirst();
    if (next == null) {
      return;
    }
    Map<String, Object> answer;
    try {
      answer = session.admin().configuration(next.what(), next.argument(), next.cursor());
    } catch (CloudinaryRateLimitException | CloudinaryUnavailableException e) {
      throw e; // waited out or retried by the routes
    } catch (Exception e) {
      // e.g. 403 or 404: the plan or the key's permissions do not offer this part
      queue.removeFirst();
      calls++;
      if (next.what() == ConfigurationCall.FOLDER_SEARCH) {
        LOG.debug("the folder search was refused ({}); walking the folder tree", e.getMessage());
        folders.clear();
        queue.addLast(new Pending(ConfigurationCall.FOLDERS, "", null));
        return;
      }
      ConfigurationCall part =
          next.what() == ConfigurationCall.TRANSFORMATION
              ? ConfigurationCall.NAMED_TRANSFORMATIONS
              : next.what();
      unavailable.putIfAbsent(part, Messages.oneLine(e));
      queue.removeIf(p -> p.what() == next.what() && next.what() != ConfigurationCall.FOLDERS);
      return;
    }
    queue.removeFirst();
    calls++;
    if (next.what() == ConfigurationCall.TRANSFORMATION) {
      definitions.put(next.argument(), answer);
      return;
    }
    List<Map<String, Object>> listed = listOf(answer.get(next.what().listKey()));
    ConfigurationCall part =
        next.what() == ConfigurationCall.FOLDER_SEARCH ? ConfigurationCall.FOLDERS : next.what();
    if (part == ConfigurationCall.FOLDERS) {
      listed.forEach(folder -> folders.add(Folder.of(folder)));
    } else {
      items.computeIfAbsent(part, k -> new ArrayList<>()).addAll(listed);
    }
    Object cursor = answer.get("next_cursor");
    if (next.what().paged() && cursor != null && !cursor.toString().isEmpty()) {
      queue.addFirst(new Pending(next.what(), next.argument(), cursor.toString()));
    }
    for (Map<String, Object> item : listed) {
      if (next.what() == ConfigurationCall.NAMED_TRANSFORMATIONS && item.get("name") != null) {
        queue.addLast(
            new Pending(ConfigurationCall.TRANSFORMATION, item.get("name").toString(), null));
      } else if (next.what() == ConfigurationCall.FOLDERS && item.get("path") != null) {
        queue.addLast(new Pending(ConfigurationCall.FOLDERS, item.get("path").toString(), null));
      }
    }
  }

  /** Writes each part read in full, and tells the session what was kept and what changed. */
  public synchronized void save() throws IOException {
    if (!enabled || session.config().dryRun()) {
      return;
    }
    Set<ConfigurationCall> incomplete = EnumSet.noneOf(ConfigurationCall.class);
    for (Pending left : queue) {
      incomplete.add(
          switch (left.what()) {
            case TRANSFORMATION -> ConfigurationCall.NAMED_TRANSFORMATIONS;
            case FOLDER_SEARCH -> ConfigurationCall.FOLDERS;
            default -> left.what();
          });
    }
    List<String> counts = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (ConfigurationCall part : ConfigurationCall.values()) {
      if (part.file() == null) {
        continue;
      }
      String name = part.name().toLowerCase(Locale.ROOT).replace('_', ' ');
      if (unavailable.containsKey(part)) {
        counts.add(name + " unavailable");
        LOG.info(
            "The account's {} could not be read ({}); the backup keeps the last copy, if any",
            name,
            unavailable.get(part));
        continue;
      }
      if (incomplete.contains(part)) {
        counts.add(
            name + " incomplete (over " + MAX_CALLS + " calls; the last complete copy is kept)");
        continue;
      }
      List<Map<String, Object>> list = items.getOrDefault(part, List.of());
      if (part == ConfigurationCall.NAMED_TRANSFORMATIONS) {
        list = withDefinitions(list);
      }
      if (part == ConfigurationCall.FOLDERS) {
        // the same file whichever way the folders were read
        list =
            folders.stream()
                .sorted(Comparator.comparing(f -> String.valueOf(f.path())))
                .map(Folder::asJson)
                .toList();
      }
      // indented, every map's entries in key order: a file that reads and compares well
      byte[] json = JsonValues.toIndentedJson(list, true);
      String file = FOLDER + "/" + part.file();
      Path existing = session.folder().resolve(file);
      if (!Files.isRegularFile(existing)
          || !java.util.Arrays.equals(Files.readAllBytes(existing), json)) {
        if (Files.isRegularFile(existing)) {
          changed.add(name);
        }
        session.folder().writeAtomically(file, out -> out.write(json));
      }
      counts.add(list.size() + " " + name);
    }
    session.configurationSummary(
        String.join(", ", counts)
            + (changed.isEmpty()
                ? ""
                : "; changed since the last backup: " + String.join(", ", changed))
            + " ("
            + calls
            + " of the Admin API calls)");
  }

  private List<Map<String, Object>> withDefinitions(List<Map<String, Object>> listed) {
    List<Map<String, Object>> full = new ArrayList<>();
    for (Map<String, Object> entry : listed) {
      Map<String, Object> definition = definitions.get(String.valueOf(entry.get("name")));
      Map<String, Object> merged = new LinkedHashMap<>(entry);
      if (definition != null && definition.get("info") != null) {
        merged.put("info", definition.get("info"));
      }
      full.add(merged);
    }
    return full;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listOf(Object value) {
    List<Map<String, Object>> list = new ArrayList<>();
    if (value instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> map) {
          list.add((Map<String, Object>) map);
        }
      }
    }
    return list;
  }
}
