package org.vigil.dashboards;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.XFrameHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard: REST API under {@code /api/v1} (contract: {@code openapi.yaml}) and the web UI
 * from the classpath folder {@code webroot/}. Deploy it with {@link #deploy}; it is listening when
 * the returned future completes.
 */
public final class DashboardServer extends VerticleBase {
  static final String SESSION_COOKIE = "vigil.session";
  private static final int MAX_LOGIN_BODY_BYTES = 16 * 1024;
  private static final int MAX_API_BODY_BYTES = 1024 * 1024;
  private static final int MAX_RULES_BODY_BYTES = 4 * 1024 * 1024;

  /** A 10,000-character comment in UTF-8, a bulk request of 500 ids, with room to spare. */
  private static final int MAX_TRIAGE_BODY_BYTES = 128 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  private static final Buffer CONTRACT = loadContract();

  private final DashboardConfig config;
  private final DashboardBackends backends;
  private final PasswordHasher hasher;
  private final Clock clock;
  private volatile HttpServer server;
  private AlertStream alertStream;
  private ReportScheduler reportScheduler;

  public DashboardServer(
      DashboardConfig config, DashboardBackends backends, PasswordHasher hasher) {
    this(config, backends, hasher, Clock.systemUTC());
  }

  /** With a clock for token expiry and login lockouts, which tests move. */
  DashboardServer(
      DashboardConfig config, DashboardBackends backends, PasswordHasher hasher, Clock clock) {
    this.config = config;
    this.backends = backends;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** Deploys a dashboard on {@code vertx}; fails with a one-line message if the port is taken. */
  public static Future<DashboardServer> deploy(
      Vertx vertx, DashboardConfig config, DashboardBackends backends) {
    DashboardServer dashboard = new DashboardServer(config, backends, new PasswordHasher());
    return vertx.deployVerticle(dashboard).map(id -> dashboard);
  }

  /** The port actually bound: differs from the configured one when that was 0. */
  public int actualPort() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("the dashboard is not listening");
    }
    return s.actualPort();
  }

  @Override
  public Future<?> start() {
    CredentialVerifier verifier = new CredentialVerifier(vertx, backends.users(), hasher);
    CredentialCache cache = new CredentialCache(config.credentialCacheTtl(), System::nanoTime);
    LoginThrottle throttle = new LoginThrottle(clock);
    AuditAppender audit = new AuditAppender(vertx, backends.audit());
    CallerAuthHandler auth =
        new CallerAuthHandler(vertx, verifier, cache, throttle, audit, backends.tokens(), clock);
    SessionApi sessions =
        new SessionApi(vertx, verifier, throttle, audit, backends.users(), hasher, cache);
    UsersApi usersApi = new UsersApi(vertx, backends.users(), hasher, audit, throttle, cache);
    TokensApi tokensApi = new TokensApi(vertx, backends.tokens(), audit, clock);
    AuditApi auditApi = new AuditApi(vertx, backends.audit(), audit);
    AlertsApi alertsApi = new AlertsApi(vertx, backends.alerts());
    HealthApi health = new HealthApi();
    RulesApi rules = new RulesApi(vertx, backends.rules(), backends.audit(), clock);
    EventsApi eventsApi = new EventsApi(vertx, backends.events(), backends.audit(), clock);
    OverviewApi overview = new OverviewApi(vertx, backends.events(), clock);
    ComponentHealthApi components =
        new ComponentHealthApi(vertx, backends.healthProbes(), HealthProbe.TIMEOUT.toMillis());
    AlertStream alertStream = new AlertStream(vertx, backends.alerts(), System::currentTimeMillis);
    this.alertStream = alertStream;
    Context eventLoop = context;
    TriageApi triage =
        new TriageApi(
            vertx,
            backends,
            System::currentTimeMillis,
            alert -> eventLoop.runOnContext(v -> alertStream.changed(alert)));
    AlertDetailApi alertDetail = new AlertDetailApi(backends, triage);
    ReportsApi reports = new ReportsApi(vertx, backends.reports(), audit, clock);
    ReportScheduler scheduler =
        new ReportScheduler(vertx, backends.reports(), backends.audit(), clock);
    this.reportScheduler = scheduler;

    Router router = Router.router(vertx);
    router.route().handler(DashboardServer::securityHeaders);
    router
        .route()
        .handler(
            CSPHandler.create()
                .addDirective("default-src", "'self'")
                .addDirective("frame-ancestors", "'none'")
                .addDirective("base-uri", "'none'")
                .addDirective("form-action", "'self'")
                .addDirective("object-src", "'none'"));
    router.route().handler(XFrameHandler.create(XFrameHandler.DENY));

    router.get("/api/v1/health").handler(health::get);
    router.get("/api/v1/openapi.yaml").handler(DashboardServer::contract);
    router.route("/api/*").handler(sessionHandler());
    // Bodies are read before authenticating: the request is not paused while credentials are
    // checked off the event loop, so a body handler after that would find the body gone. The
    // first body handler that matches sets the limit; later ones see the body read and pass.
    router
        .post("/api/v1/session")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_LOGIN_BODY_BYTES))
        .handler(sessions::login);
    router.delete("/api/v1/session").handler(sessions::logout);
    router
        .post("/api/v1/alerts/*")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_TRIAGE_BODY_BYTES));
    router
        .route("/api/v1/rules/*")
        .method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_RULES_BODY_BYTES));
    router
        .route("/api/*")
        .method(HttpMethod.POST)
        .method(HttpMethod.PUT)
        .method(HttpMethod.PATCH)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_API_BODY_BYTES));
    router.route("/api/*").handler(auth);
    router.route("/api/*").handler(new CsrfGuard());
    router.get("/api/v1/session").handler(sessions::current);
    router.post("/api/v1/session/password").handler(sessions::changePassword);
    router.get("/api/v1/users").handler(usersApi::list);
    router.post("/api/v1/users").handler(usersApi::create);
    router.patch("/api/v1/users/:username").handler(usersApi::update);
    router.get("/api/v1/tokens").handler(tokensApi::list);
    router.post("/api/v1/tokens").handler(tokensApi::create);
    router.delete("/api/v1/tokens/:id").handler(tokensApi::revoke);
    router.get("/api/v1/audit").handler(auditApi::list);
    router.get("/api/v1/audit/verify").handler(auditApi::verify);
    router.get("/api/v1/alerts").handler(alertsApi::list);
    router.get("/api/v1/rules").handler(rules::live);
    router.get("/api/v1/rules/releases").handler(rules::history);
    router.post("/api/v1/rules/releases").handler(rules::deploy);
    router.post("/api/v1/rules/validate").handler(rules::validate);
    router.get("/api/v1/events").handler(eventsApi::search);
    router.get("/api/v1/events/histogram").handler(eventsApi::histogram);
    router.get("/api/v1/events/top").handler(eventsApi::top);
    router.get("/api/v1/events/export").handler(eventsApi::export);
    router.get("/api/v1/events/:id").handler(eventsApi::get);
    router.get("/api/v1/overview").handler(overview::get);
    router.get("/api/v1/health/components").handler(components::get);
    router.get("/api/v1/alerts/stream").handler(alertStream::subscribe);
    router.post("/api/v1/alerts/bulk").handler(triage::bulk);
    router.get("/api/v1/alerts/:id").handler(alertDetail::get);
    router.post("/api/v1/alerts/:id/status").handler(triage::status);
    router.post("/api/v1/alerts/:id/assign").handler(triage::assign);
    router.post("/api/v1/alerts/:id/comments").handler(triage::comment);
    router.get("/api/v1/assignees").handler(triage::assignees);
    router.get("/api/v1/reports/definitions").handler(reports::definitions);
    router.get("/api/v1/reports").handler(reports::list);
    router.post("/api/v1/reports").handler(reports::generate);
    router.get("/api/v1/reports/:id/:format").handler(reports::download);
    router.route("/api/*").handler(ctx -> JsonResponses.error(ctx, 404, "no such API"));

    router.route().handler(StaticHandler.create("webroot"));

    HttpServerOptions options = new HttpServerOptions();
    if (config.tls()) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(config.tlsCert().toString())
                  .setKeyPath(config.tlsKey().toString()));
    }
    return vertx
        .createHttpServer(options)
        .requestHandler(router)
        .listen(config.port(), config.host())
        .recover(this::explainListenFailure)
        .onSuccess(
            s -> {
              server = s;
              scheduler.start();
              LOG.info(
                  "dashboard listening on {}://{}:{}/",
                  config.tls() ? "https" : "http",
                  config.host(),
                  s.actualPort());
            });
  }

  @Override
  public Future<?> stop() {
    if (alertStream != null) {
      alertStream.close();
    }
    if (reportScheduler != null) {
      reportScheduler.stop();
    }
    return Future.succeededFuture();
  }

  private SessionHandler sessionHandler() {
    return SessionHandler.create(LocalSessionStore.create(vertx))
        .setSessionCookieName(SESSION_COOKIE)
        .setSessionTimeout(config.sessionTimeout().toMillis())
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.STRICT)
        .setCookieSecureFlag(config.secureCookies())
        // Sessions only for browsers that log in: scripts using Basic get no cookie.
        .setLazySession(true)
        .setNagHttps(false);
  }

  private Future<HttpServer> explainListenFailure(Throwable e) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof BindException)) {
      cause = cause.getCause();
    }
    if (cause != null) {
      return Future.failedFuture(
          new IllegalStateException(
              "dashboard port "
                  + config.port()
                  + " on "
                  + config.host()
                  + " is already in use: stop the program using it or choose another"
                  + " dashboard port",
              e));
    }
    return Future.failedFuture(e);
  }

  /** The API contract, public like any published API description. */
  private static void contract(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(CONTRACT);
  }

  private static Buffer loadContract() {
    try (InputStream in = DashboardServer.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the dashboard's classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read openapi.yaml from the classpath", e);
    }
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
