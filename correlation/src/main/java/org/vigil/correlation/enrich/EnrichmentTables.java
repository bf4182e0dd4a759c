package org.vigil.correlation.enrich;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.vigil.model.Event;

/**
 * The asset inventory and the threat-intel feeds an enrichment operator applies, kept current with
 * their files without a restart and without a thread of its own: {@link #refresh} runs on the
 * processing path and looks at the files' modification times and sizes at most once per reload
 * interval, and reloads what changed.
 *
 * <p>A file that fails to load keeps what was loaded before it (the inventory as a whole; each feed
 * on its own), and is reported once per change of the file, not on every check. A feed file that
 * disappears from a folder is dropped; a file named on its own or a folder that disappears is a
 * failure that keeps every feed, since that is more likely a botched copy than a decision. At the
 * start, by contrast, any wrong file is an exception: the job should not start with half of what it
 * was told to use.
 *
 * <p>Each parallel instance reloads on its own, so for a moment after a change instances may
 * disagree.
 */
public final class EnrichmentTables implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Hears what a {@link #refresh} did; called on the processing thread. */
  public interface Listener {
    void reloaded(String what);

    void failed(String what, String problem);
  }

  /** What a file looked like when read; a missing file has {@code size} -1. */
  record Stamp(long modifiedNanos, long size) implements Serializable {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
      } catch (IOException e) {
        return new Stamp(0, -1);
      }
    }
  }

  record LoadedFeed(Stamp stamp, IndicatorFeed feed) implements Serializable {}

  private final String agenciesFile;
  private final String assetsFile;
  private final List<String> intelPaths;
  private final long reloadIntervalMillis;

  private AssetInventory inventory;
  private HashMap<String, Stamp> inventoryStamps;
  private HashMap<String, Stamp> inventoryFailedStamps;
  private LinkedHashMap<String, LoadedFeed> feeds;
  private final HashMap<String, Stamp> failedFeedStamps = new HashMap<>();
  private String listingProblem;
  private ThreatIntel intel;
  private long nextCheck;

  private EnrichmentTables(String agenciesFile, EnrichmentSettings settings) {
    this.agenciesFile = agenciesFile;
    this.assetsFile = settings.assetsFile();
    this.intelPaths = settings.intelPaths();
    this.reloadIntervalMillis = settings.reloadInterval().toMillis();
  }

  /**
   * Reads every file now.
   *
   * @param agenciesFile the {@code CIDR ORGANIZATION_ID} file, or null
   * @param now epoch millis, for indicators' validity
   * @throws UncheckedIOException if a file or folder cannot be read, naming it
   * @throws IllegalArgumentException naming the file (and line) whose content is wrong
   */
  public static EnrichmentTables load(String agenciesFile, EnrichmentSettings settings, long now) {
    EnrichmentTables tables = new EnrichmentTables(agenciesFile, settings);
    tables.inventoryStamps = tables.inventoryStamps();
    tables.inventory = tables.loadInventory();
    tables.feeds = new LinkedHashMap<>();
    for (Path file : feedFiles(tables.intelPaths)) {
      Stamp stamp = Stamp.of(file);
      tables.feeds.put(file.toString(), new LoadedFeed(stamp, IndicatorFeed.load(file, now)));
    }
    tables.intel = tables.buildIntel();
    tables.nextCheck = now + tables.reloadIntervalMillis;
    return tables;
  }

  /** Enriches an event in place; true if it matched a threat-intel indicator. */
  public boolean apply(Event event, long now) {
    inventory.apply(event);
    return intel.apply(event, now);
  }

  /**
   * Reloads the files that changed, if the reload interval has passed since the last look.
   *
   * @param now epoch millis
   */
  public void refresh(long now, Listener listener) {
    if (now < nextCheck) {
      return;
    }
    nextCheck = now + reloadIntervalMillis;
    refreshInventory(listener);
    refreshFeeds(now, listener);
  }

  public AssetInventory inventory() {
    return inventory;
  }

  public ThreatIntel intel() {
    return intel;
  }

  /** Feed entries skipped as unreadable or unsupported, over the feeds now loaded. */
  public int unusableEntries() {
    int skipped = 0;
    for (IndicatorFeed feed : intel.feeds()) {
      skipped += feed.skipped();
    }
    return skipped;
  }

  /** One line for the log: what is loaded. */
  public String summary() {
    int indicators = 0;
    int skipped = 0;
    int inactive = 0;
    for (IndicatorFeed feed : intel.feeds()) {
      indicators += feed.size();
      skipped += feed.skipped();
      inactive += feed.inactive();
    }
    return inventory.rows().size()
        + " inventory networks; "
        + intel.feeds().size()
        + " threat-intel feeds with "
        + indicators
        + " indicators ("
        + skipped
        + " entries unusable, "
        + inactive
        + " revoked or expired)";
  }

  private void refreshInventory(Listener listener) {
    if (assetsFile == null && agenciesFile == null) {
      return;
    }
    HashMap<String, Stamp> stamps = inventoryStamps();
    if (stamps.equals(inventoryStamps) || stamps.equals(inventoryFailedStamps)) {
      return;
    }
    try {
      inventory = loadInventory();
      inventoryStamps = stamps;
      inventoryFailedStamps = null;
      listener.reloaded("asset inventory: " + inventory.rows().size() + " networks");
    } catch (RuntimeException e) {
      inventoryFailedStamps = stamps;
      listener.failed("asset inventory", e.getMessage());
    }
  }

  private void refreshFeeds(long now, Listener listener) {
    if (intelPaths.isEmpty()) {
      return;
    }
    List<Path> files;
    try {
      files = feedFiles(intelPaths);
      listingProblem = null;
    } catch (RuntimeException e) {
      if (!Objects.equals(e.getMessage(), listingProblem)) {
        listingProblem = e.getMessage();
        listener.failed("threat-intel feeds", e.getMessage());
      }
      return;
    }
    boolean changed = false;
    LinkedHashMap<String, LoadedFeed> next = new LinkedHashMap<>();
    for (Path file : files) {
      String key = file.toString();
      Stamp stamp = Stamp.of(file);
      LoadedFeed previous = feeds.get(key);
      if ((previous != null && previous.stamp().equals(stamp))
          || stamp.equals(failedFeedStamps.get(key))) {
        if (previous != null) {
          next.put(key, previous);
        }
        continue;
      }
      try {
        IndicatorFeed feed = IndicatorFeed.load(file, now);
        next.put(key, new LoadedFeed(stamp, feed));
        failedFeedStamps.remove(key);
        changed = true;
        listener.reloaded(describe(file, feed));
      } catch (RuntimeException e) {
        failedFeedStamps.put(key, stamp);
        if (previous != null) {
          next.put(key, previous);
        }
        listener.failed("threat-intel feed " + file, e.getMessage());
      }
    }
    for (String key : feeds.keySet()) {
      if (!next.containsKey(key)) {
        changed = true;
        failedFeedStamps.remove(key);
        listener.reloaded("threat-intel feed " + key + ": removed");
      }
    }
    if (changed) {
      feeds = next;
      intel = buildIntel();
    }
  }

  private static String describe(Path file, IndicatorFeed feed) {
    String text = "threat-intel feed " + file + ": " + feed.size() + " indicators";
    if (feed.inactive() > 0) {
      text += ", " + feed.inactive() + " revoked or expired";
    }
    if (feed.skipped() > 0) {
      text += ", " + feed.skipped() + " unusable, the first " + feed.firstProblem();
    }
    return text;
  }

  private AssetInventory loadInventory() {
    return AssetInventory.load(
        assetsFile == null ? null : Path.of(assetsFile),
        agenciesFile == null ? null : Path.of(agenciesFile));
  }

  private HashMap<String, Stamp> inventoryStamps() {
    HashMap<String, Stamp> stamps = new HashMap<>();
    for (String file : new String[] {assetsFile, agenciesFile}) {
      if (file != null) {
        stamps.put(file, Stamp.of(Path.of(file)));
      }
    }
    return stamps;
  }

  private ThreatIntel buildIntel() {
    List<IndicatorFeed> loaded = new ArrayList<>();
    feeds.values().forEach(f -> loaded.add(f.feed()));
    return new ThreatIntel(loaded);
  }

  /**
   * The feed files: each path given as a file, and the feed files of each folder by name.
   *
   * @throws UncheckedIOException if a path does not exist or a folder cannot be listed: while
   *     reloading, that keeps every feed as it is rather than dropping a folder's worth
   */
  static List<Path> feedFiles(List<String> paths) {
    List<Path> files = new ArrayList<>();
    for (String name : paths) {
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        List<Path> inFolder = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
          for (Path entry : entries) {
            if (isFeedFile(entry)) {
              inFolder.add(entry);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot list threat-intel folder " + path + ": " + e.getMessage(), e);
        }
        inFolder.sort(null);
        files.addAll(inFolder);
      } else if (Files.exists(path)) {
        files.add(path);
      } else {
        throw new UncheckedIOException(
            "threat-intel feed " + path + " does not exist",
            new java.nio.file.NoSuchFileException(name));
      }
    }
    return files;
  }

  private static boolean isFeedFile(Path entry) {
    String name = entry.getFileName().toString();
    if (name.startsWith(".") || !Files.isRegularFile(entry)) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return IndicatorFeed.EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  /** For tests: the map of feeds, to tell a kept feed from a reloaded one. */
  Map<String, IndicatorFeed> feedsByFile() {
    Map<String, IndicatorFeed> byFile = new LinkedHashMap<>();
    feeds.forEach((k, v) -> byFile.put(k, v.feed()));
    return byFile;
  }
}
