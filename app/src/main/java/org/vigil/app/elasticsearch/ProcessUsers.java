package org.vigil.app.elasticsearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The Unix user questions of starting a server as an unprivileged user from a root process. */
final class ProcessUsers {
  /** useradd's exit code when the user exists (another process created it meanwhile). */
  private static final int USERADD_NAME_IN_USE = 9;

  private ProcessUsers() {}

  record Ids(int uid, int gid) {}

  /** True when this process's effective user id is 0. */
  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      // fall through to id(1)
    }
    return run(List.of("id", "-u")).output().strip().equals("0");
  }

  static String currentUserName() {
    return System.getProperty("user.name");
  }

  /** Creates a system user with its own group, no home and no login shell, unless it exists. */
  static void ensureSystemUser(String name) {
    if (run(List.of("getent", "passwd", name)).exitCode() == 0) {
      return;
    }
    Result created =
        run(
            List.of(
                "useradd",
                "--system",
                "--no-create-home",
                "--user-group",
                "--shell",
                "/usr/sbin/nologin",
                name));
    if (created.exitCode() != 0 && created.exitCode() != USERADD_NAME_IN_USE) {
      throw new ElasticsearchStartException(
          "cannot create the system user "
              + name
              + " for Elasticsearch (useradd exit "
              + created.exitCode()
              + ": "
              + created.output().strip()
              + "); create it yourself or run Vigil as a non-root user");
    }
  }

  static Ids idsOf(String name) {
    Result uid = run(List.of("id", "-u", name));
    Result gid = run(List.of("id", "-g", name));
    if (uid.exitCode() != 0 || gid.exitCode() != 0) {
      throw new ElasticsearchStartException("user " + name + " does not exist: " + uid.output());
    }
    return new Ids(Integer.parseInt(uid.output().strip()), Integer.parseInt(gid.output().strip()));
  }

  /**
   * The first folder from {@code dir} up to {@code /} that the user may not enter (execute
   * permission for its owner, group or others as applies), or null when all are open to it.
   */
  static Path firstUntraversable(Path dir, Ids user) throws IOException {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      int owner = (Integer) Files.getAttribute(p, "unix:uid");
      int group = (Integer) Files.getAttribute(p, "unix:gid");
      int bit = owner == user.uid() ? 0100 : group == user.gid() ? 0010 : 0001;
      if ((mode & bit) == 0) {
        return p;
      }
    }
    return null;
  }

  /** chown -R, without following symbolic links. */
  static void chownTree(Path root, Ids ids) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.setAttribute(p, "unix:uid", ids.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", ids.gid(), LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  record Result(int exitCode, String output) {}

  static Result run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, String.join(" ", command) + " interrupted");
    }
  }
}
