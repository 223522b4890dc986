package io.github.cloudinarybackup.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The subset of the Search API's Lucene-like expressions the emulator understands: {@code
 * field:value} or {@code field=value} terms joined by {@code AND} (or by plain spaces). Values may
 * be quoted and may end in {@code *} for a prefix match; {@code folder:a/*} also matches every
 * subfolder. Anything else (OR, NOT, parentheses, ranges, free text) is refused with a 400 rather
 * than silently misread.
 *
 * <p>Fields: resource_type, type, public_id, asset_id, format, tags, filename, folder (fixed mode
 * only), asset_folder and display_name (dynamic mode only).
 */
final class SearchExpression {

  private SearchExpression() {}

  static Predicate<EmulatedAsset> parse(String expression, FolderMode mode) {
    Predicate<EmulatedAsset> all = a -> true;
    if (expression == null || expression.isBlank()) {
      return all;
    }
    for (String term : terms(expression)) {
      all = all.and(term(term, mode));
    }
    return all;
  }

  private static Predicate<EmulatedAsset> term(String term, FolderMode mode) {
    int colon = term.indexOf(':');
    int equals = term.indexOf('=');
    int split = colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
    if (split <= 0) {
      throw unsupported(term);
    }
    String field = term.substring(0, split).trim().toLowerCase(Locale.ROOT);
    String value = unquote(term.substring(split + 1).trim());
    if (value.isEmpty()
        || field.startsWith("-")
        || value.startsWith("[")
        || value.startsWith(">")
        || value.startsWith("<")) {
      throw unsupported(term);
    }
    return switch (field) {
      case "resource_type" -> match(EmulatedAsset::resourceType, value);
      case "type" -> match(EmulatedAsset::type, value);
      case "public_id" -> match(EmulatedAsset::publicId, value);
      case "asset_id" -> match(EmulatedAsset::assetId, value);
      case "format" -> match(a -> a.format() == null ? "" : a.format(), value);
      case "filename" ->
          match(a -> a.publicId().substring(a.publicId().lastIndexOf('/') + 1), value);
      case "tags", "tag" -> a -> a.tags().stream().anyMatch(t -> matches(t, value));
      case "folder" -> {
        requireMode(mode, FolderMode.FIXED, field);
        yield folder(AssetFolders::publicIdFolder, value);
      }
      case "asset_folder" -> {
        requireMode(mode, FolderMode.DYNAMIC, field);
        yield folder(AssetFolders::assetFolder, value);
      }
      case "display_name" -> {
        requireMode(mode, FolderMode.DYNAMIC, field);
        yield match(AssetFolders::displayName, value);
      }
      default ->
          throw ApiError.badRequest("Unsupported search field " + field + " in the emulator");
    };
  }

  /** Splits on whitespace outside quotes and drops the AND joiners; other operators are refused. */
  private static List<String> terms(String expression) {
    List<String> terms = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        current.append(c);
      } else if (Character.isWhitespace(c) && !quoted) {
        addTerm(terms, current);
      } else if ((c == '(' || c == ')') && !quoted) {
        throw unsupported(expression);
      } else {
        current.append(c);
      }
    }
    if (quoted) {
      throw ApiError.badRequest("Unterminated quote in expression " + expression);
    }
    addTerm(terms, current);
    return terms;
  }

  private static void addTerm(List<String> terms, StringBuilder current) {
    String term = current.toString();
    current.setLength(0);
    if (term.isEmpty() || term.equals("AND") || term.equals("&&")) {
      return;
    }
    if (term.equals("OR") || term.equals("NOT") || term.equals("||")) {
      throw unsupported(term);
    }
    terms.add(term);
  }

  private static Predicate<EmulatedAsset> match(
      Function<EmulatedAsset, String> field, String value) {
    return a -> matches(field.apply(a), value);
  }

  /** Exact match, or a prefix match when the value ends in {@code *}. */
  private static boolean matches(String actual, String value) {
    return value.endsWith("*")
        ? actual.startsWith(value.substring(0, value.length() - 1))
        : actual.equals(value);
  }

  /** {@code folder:a/b} is exactly that folder; {@code folder:a/*} is a and everything below it. */
  private static Predicate<EmulatedAsset> folder(
      Function<EmulatedAsset, String> folderOf, String value) {
    if (value.endsWith("/*")) {
      String root = value.substring(0, value.length() - 2);
      return a -> {
        String folder = folderOf.apply(a);
        return folder.equals(root) || folder.startsWith(root + "/");
      };
    }
    return match(folderOf, value);
  }

  private static void requireMode(FolderMode actual, FolderMode needed, String field) {
    if (actual != needed) {
      throw ApiError.badRequest(
          "Search field " + field + " is only supported in " + needed.wireValue() + " folder mode");
    }
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static ApiError unsupported(String term) {
    return ApiError.badRequest("Unsupported search expression in the emulator: " + term);
  }
}
