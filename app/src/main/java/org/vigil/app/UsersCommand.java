package org.vigil.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vigil.dashboards.AuditEvent;
import org.vigil.dashboards.ElasticsearchAuditTrail;
import org.vigil.dashboards.ElasticsearchUserStore;
import org.vigil.dashboards.PasswordHasher;
import org.vigil.dashboards.Role;
import org.vigil.dashboards.User;
import org.vigil.elasticsearch.ElasticsearchClients;
import org.vigil.elasticsearch.ElasticsearchSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil users}: dashboard users, straight in Elasticsearch, so an operator can get in or
 * lock someone out without a running dashboard. Every change is written to the audit trail first,
 * with the actor {@code cli:<OS user>}. Passwords come from the console or, for scripts, the first
 * line of standard input ({@code --password-stdin}); never from the command line, where {@code ps}
 * and shell history would show them.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Manage dashboard users.",
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.Passwd.class,
      UsersCommand.Disable.class,
      UsersCommand.Enable.class,
      UsersCommand.ListUsers.class,
      CommandLine.HelpCommand.class
    })
final class UsersCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a users command is required");
  }

  /** Where the users and the audit trail live. */
  static final class Store {
    @Option(
        names = "--elasticsearch",
        defaultValue = "http://127.0.0.1:9200",
        paramLabel = "URL",
        description = "Elasticsearch base URL (default: ${DEFAULT-VALUE}).")
    URI elasticsearch;

    /** The clients; the caller closes them. */
    ElasticsearchClients open() {
      return ElasticsearchClients.create(ElasticsearchSettings.of(elasticsearch));
    }
  }

  /** How a new password is read. */
  static final class PasswordInput {
    @Option(
        names = "--password-stdin",
        description = "Read the password from the first line of standard input.")
    boolean stdin;

    String read(CommandLine cl, String username) throws IOException {
      String password;
      if (stdin) {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        password = in.readLine();
        if (password == null) {
          throw new CommandLine.ParameterException(cl, "standard input had no password line");
        }
      } else {
        Console console = System.console();
        if (console == null) {
          throw new CommandLine.ParameterException(
              cl, "no console to ask for the password: pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", username);
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
          throw new CommandLine.ParameterException(cl, "the passwords differ: nothing changed");
        }
        password = new String(first);
        Arrays.fill(first, ' ');
        Arrays.fill(second, ' ');
      }
      try {
        PasswordHasher.requireAcceptable(password);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      return password;
    }
  }

  /** The audit actor for this command line: the OS account that ran it. */
  static String actor() {
    String user = System.getProperty("user.name");
    return "cli:" + (user == null || user.isBlank() ? "unknown" : user);
  }

  /** Audits, then saves: no record, no change. */
  static void auditThenSave(
      ElasticsearchClients clients, String action, User user, Map<String, Object> details) {
    ElasticsearchAuditTrail audit =
        new ElasticsearchAuditTrail(clients.client(), java.time.Clock.systemUTC());
    audit.ensureIndex();
    audit.append(AuditEvent.success(actor(), null, action, user.username(), details));
    new ElasticsearchUserStore(clients.client()).save(user);
  }

  static User existing(CommandLine cl, ElasticsearchClients clients, String username) {
    Optional<User> user;
    try {
      user = new ElasticsearchUserStore(clients.client()).find(username);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    return user.orElseThrow(
        () ->
            new CommandLine.ParameterException(
                cl, "no user " + username + ": add it with vigil users add"));
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a user.",
      footer = {
        "",
        "Example:",
        "  vigil users add nguyen --role analyst --agency agency-north",
        "  printf '%%s\\n' \"$PW\" | vigil users add bot --role auditor --password-stdin"
      })
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "USERNAME", description = "Letters, digits, '.', '_', '@', '-'.")
    String username;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "analyst, rule_admin, auditor or admin; repeat for several.")
    List<String> roles;

    @Option(
        names = "--agency",
        paramLabel = "ORG_ID",
        description = "An organization.id the user may see; repeat for several. None: all.")
    List<String> agencies = new ArrayList<>();

    @Mixin Store store;
    @Mixin PasswordInput passwordInput;

    @Override
    public Integer call() throws Exception {
      CommandLine cl = spec.commandLine();
      Set<Role> parsed = EnumSet.noneOf(Role.class);
      User probe;
      try {
        roles.forEach(r -> parsed.add(Role.fromWireName(r)));
        probe = new User(username, "unset", parsed, agencies);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
      try (ElasticsearchClients clients = store.open()) {
        if (new ElasticsearchUserStore(clients.client()).find(username).isPresent()) {
          throw new CommandLine.ParameterException(
              cl, "user " + username + " already exists: use vigil users passwd or enable");
        }
        String password = passwordInput.read(cl, username);
        User user = probe.withPasswordHash(new PasswordHasher().hash(password));
        auditThenSave(
            clients,
            "user.add",
            user,
            Map.of(
                "roles",
                parsed.stream().map(Role::wireName).sorted().toList(),
                "agencies",
                user.agencies()));
        cl.getOut().println("added user " + username);
      }
      return Vigil.EXIT_OK;
    }
  }

  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      description = {
        "Set a user's password.",
        "A running dashboard keeps a login lock (after failed logins) until it ends."
      })
  static final class Passwd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "USERNAME")
    String username;

    @Mixin Store store;
    @Mixin PasswordInput passwordInput;

    @Override
    public Integer call() throws Exception {
      CommandLine cl = spec.commandLine();
      try (ElasticsearchClients clients = store.open()) {
        User user = existing(cl, clients, username);
        String password = passwordInput.read(cl, username);
        auditThenSave(
            clients,
            "user.password",
            user.withPasswordHash(new PasswordHasher().hash(password)),
            Map.of("by", "cli"));
        cl.getOut().println("password of " + username + " changed");
      }
      return Vigil.EXIT_OK;
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Stop a user logging in; their sessions and API tokens stop working too.")
  static final class Disable implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "USERNAME")
    String username;

    @Mixin Store store;

    @Override
    public Integer call() throws Exception {
      return setDisabled(spec.commandLine(), store, username, true);
    }
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a user in again.")
  static final class Enable implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "USERNAME")
    String username;

    @Mixin Store store;

    @Override
    public Integer call() throws Exception {
      return setDisabled(spec.commandLine(), store, username, false);
    }
  }

  static int setDisabled(CommandLine cl, Store store, String username, boolean disabled)
      throws IOException {
    try (ElasticsearchClients clients = store.open()) {
      User user = existing(cl, clients, username);
      if (user.disabled() == disabled) {
        cl.getOut()
            .println("user " + username + " is already " + (disabled ? "disabled" : "enabled"));
        return Vigil.EXIT_OK;
      }
      auditThenSave(
          clients,
          disabled ? "user.disable" : "user.change",
          user.withDisabled(disabled),
          Map.of("disabled", disabled));
      cl.getOut().println((disabled ? "disabled" : "enabled") + " user " + username);
    }
    return Vigil.EXIT_OK;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  static final class ListUsers implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin Store store;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      try (ElasticsearchClients clients = store.open()) {
        List<User> users = new ElasticsearchUserStore(clients.client()).list();
        out.printf("%-24s %-32s %-24s %s%n", "USERNAME", "ROLES", "AGENCIES", "STATUS");
        for (User u : users) {
          out.printf(
              "%-24s %-32s %-24s %s%n",
              u.username(),
              String.join(",", u.roles().stream().map(Role::wireName).sorted().toList()),
              u.agencies().isEmpty() ? "(all)" : String.join(",", u.agencies()),
              u.disabled() ? "disabled" : "enabled");
        }
        out.flush();
      }
      return Vigil.EXIT_OK;
    }
  }
}
