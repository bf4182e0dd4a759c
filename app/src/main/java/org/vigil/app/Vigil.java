package org.vigil.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import org.vigil.bench.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vigil} command. Exit codes: 0 success, 1 a runtime error (one line on stderr; the
 * stack trace too with {@code --verbose}), 2 a usage error.
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = Vigil.Version.class,
    description = "Vigil: a streaming SIEM for syslog, NetFlow and Beats.",
    subcommands = {
      UpCommand.class,
      DemoCommand.class,
      ReplayCommand.class,
      RulesCommand.class,
      UsersCommand.class,
      ReportCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:runtime error", "2:usage error"})
public final class Vigil implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_ERROR = 1;
  public static final int EXIT_USAGE = 2;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line: converters, error handlers and exit codes. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Vigil());
    cl.registerConverter(HostPort.class, Vigil::hostPort);
    cl.setParameterExceptionHandler(Vigil::usageError);
    cl.setExecutionExceptionHandler(Vigil::runtimeError);
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  private static HostPort hostPort(String text) {
    try {
      return HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getColorScheme().errorText("vigil: " + e.getMessage()));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return EXIT_USAGE;
  }

  private static int runtimeError(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println(cl.getColorScheme().errorText("vigil: " + oneLine(e)));
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return EXIT_ERROR;
  }

  /** The message of the exception, or of its first cause that has one, on one line. */
  static String oneLine(Throwable e) {
    Throwable t = e;
    while (t != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t == null ? e.getClass().getSimpleName() : t.getMessage();
    if (e instanceof InterruptedException) {
      message = "interrupted";
    }
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The version of the built jar (from Maven's pom.properties), or "development build". */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = "development build";
      try (InputStream in =
          Vigil.class.getResourceAsStream("/META-INF/maven/org.vigil/vigil-app/pom.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          version = p.getProperty("version", version);
        }
      } catch (IOException e) {
        // keep the fallback: the version is informational
      }
      return new String[] {
        "vigil " + version,
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")"
      };
    }
  }
}
