package org.vigil.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vigil up}: the whole system on this machine until Ctrl-C or SIGTERM, which stop every
 * part, Elasticsearch included.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the whole system on this machine: Kafka, Elasticsearch, the correlation",
      "job in Flink, the syslog collector and the dashboard. Ctrl-C or SIGTERM stops",
      "all of it.",
      "The admin password is VIGIL_ADMIN_PASSWORD when set; otherwise it is generated",
      "on the first start and printed once."
    })
final class UpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StackOptions options;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Running running = Running.start(options.toSettings(), out)) {
      running.awaitShutdown();
    }
    return Vigil.EXIT_OK;
  }

  /**
   * A started system that stops on Ctrl-C or SIGTERM: the shutdown hook closes it and waits for
   * every part, so the process exits only when nothing is left listening.
   */
  static final class Running implements AutoCloseable {
    private final AllInOne system;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;

    private Running(AllInOne system, PrintWriter out) {
      this.system = system;
      this.hook =
          new Thread(
              () -> {
                out.println("vigil: stopping...");
                out.flush();
                system.close();
                stopped.countDown();
              },
              "vigil-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The hook is in place before anything starts, so Ctrl-C during start leaves no child. */
    static Running start(AllInOne.Settings settings, PrintWriter out) throws Exception {
      out.println("vigil: starting (data folder " + settings.dataDir() + ")...");
      out.flush();
      AllInOne system = new AllInOne(settings);
      Running running = new Running(system, out);
      try {
        system.start();
      } catch (Exception | Error e) {
        running.removeHook();
        throw e;
      }
      out.print(StartupBanner.render(system));
      out.flush();
      return running;
    }

    private void removeHook() {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
    }

    AllInOne system() {
      return system;
    }

    void awaitShutdown() throws InterruptedException {
      stopped.await();
    }

    @Override
    public void close() {
      system.close();
    }
  }
}
