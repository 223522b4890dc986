package io.github.cloudinarybackup.cloudinary;

/** The Admin calls that read an account's configuration, and the file each part is kept in. */
public enum ConfigurationCall {
  /**
   * {@code GET metadata_fields}: the structured metadata fields with their datasources (not paged).
   */
  METADATA_FIELDS("metadata-fields.json", "metadata_fields", false),
  /** {@code GET upload_presets}, paged. */
  UPLOAD_PRESETS("upload-presets.json", "presets", true),
  /**
   * {@code GET transformations?named=true}, paged: names only; each definition is one {@link
   * #TRANSFORMATION}.
   */
  NAMED_TRANSFORMATIONS("named-transformations.json", "transformations", true),
  /**
   * {@code GET transformations?transformation=<name>}: one definition, with its parsed {@code
   * info}.
   */
  TRANSFORMATION(null, null, false),
  /** {@code GET upload_mappings}, paged. */
  UPLOAD_MAPPINGS("upload-mappings.json", "mappings", true),
  /**
   * {@code GET folders} or {@code GET folders/<path>}: one level of the folder tree (when the
   * search is refused).
   */
  FOLDERS("folders.json", "folders", true),
  /**
   * {@code POST folders/search}: every folder, 500 a call, sorted by path; saved as {@link
   * #FOLDERS}.
   */
  FOLDER_SEARCH(null, "folders", true);

  private final String file;
  private final String listKey;
  private final boolean paged;

  ConfigurationCall(String file, String listKey, boolean paged) {
    this.file = file;
    this.listKey = listKey;
    this.paged = paged;
  }

  /**
   * The file under {@code .cloudinary-backup/config/} this part is saved in, or null (part of
   * another).
   */
  public String file() {
    return file;
  }

  /** The key of the answer's list. */
  public String listKey() {
    return listKey;
  }

  public boolean paged() {
    return paged;
  }
}
