package org.vigil.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * User management for admins: {@code /api/v1/users}. Every change is audited before it is saved
 * ({@code user.add}, {@code user.change}, {@code user.disable}, {@code user.password}); an admin
 * cannot disable themselves or drop their own admin role, so there is always a way back in.
 */
final class UsersApi {
  private static final Set<Role> ADMINS = Set.of(Role.ADMIN);

  private final Vertx vertx;
  private final UserStore users;
  private final PasswordHasher hasher;
  private final AuditAppender audit;
  private final LoginThrottle throttle;
  private final CredentialCache cache;

  UsersApi(
      Vertx vertx,
      UserStore users,
      PasswordHasher hasher,
      AuditAppender audit,
      LoginThrottle throttle,
      CredentialCache cache) {
    this.vertx = vertx;
    this.users = users;
    this.hasher = hasher;
    this.audit = audit;
    this.throttle = throttle;
    this.cache = cache;
  }

  void list(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, ADMINS)) {
      return;
    }
    vertx
        .executeBlocking(users::list, false)
        .onSuccess(
            all -> {
              JsonArray list = new JsonArray();
              all.forEach(u -> list.add(json(u)));
              JsonResponses.ok(ctx, new JsonObject().put("users", list));
            })
        .onFailure(e -> CallerAuthHandler.storeUnavailable(ctx, e));
  }

  void create(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, ADMINS)) {
      return;
    }
    JsonObject body = JsonBodies.object(ctx);
    if (body == null) {
      return;
    }
    String username = SessionApi.stringOrNull(body.getValue("username"));
    String password = SessionApi.stringOrNull(body.getValue("password"));
    Set<Role> roles;
    List<String> agencies;
    try {
      roles = roles(body.getValue("roles"));
      agencies = strings(body.getValue("agencies"), "agencies");
      PasswordHasher.requireAcceptable(password);
      // Validates the username before anything is hashed or audited.
      new User(username, "pending", roles, agencies);
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    String actor = CallerAuthHandler.caller(ctx).username();
    vertx
        .executeBlocking(() -> users.find(username), false)
        .compose(
            existing -> {
              if (existing.isPresent()) {
                JsonResponses.error(ctx, 409, "user " + username + " already exists: PATCH it");
                return Future.succeededFuture();
              }
              return audit
                  .success(
                      ctx,
                      actor,
                      "user.add",
                      username,
                      Map.of("roles", wireNames(roles), "agencies", agencies))
                  .compose(
                      seq ->
                          vertx.executeBlocking(
                              () -> {
                                User user =
                                    new User(username, hasher.hash(password), roles, agencies);
                                users.save(user);
                                return user;
                              },
                              false))
                  .onSuccess(user -> JsonResponses.send(ctx, 201, json(user)));
            })
        .onFailure(e -> AuditAppender.unavailable(ctx, e));
  }

  /** PATCH: any of {@code roles}, {@code agencies}, {@code disabled}, {@code password}. */
  void update(RoutingContext ctx) {
    if (!CallerAuthHandler.requireAnyRole(ctx, ADMINS)) {
      return;
    }
    JsonObject body = JsonBodies.object(ctx);
    if (body == null) {
      return;
    }
    String username = ctx.pathParam("username");
    User caller = CallerAuthHandler.caller(ctx);
    Set<Role> roles;
    List<String> agencies;
    Boolean disabled;
    String password;
    try {
      roles = body.containsKey("roles") ? roles(body.getValue("roles")) : null;
      agencies =
          body.containsKey("agencies") ? strings(body.getValue("agencies"), "agencies") : null;
      Object d = body.getValue("disabled");
      if (d != null && !(d instanceof Boolean)) {
        throw new IllegalArgumentException("disabled must be true or false");
      }
      disabled = (Boolean) d;
      password =
          body.containsKey("password") ? SessionApi.stringOrNull(body.getValue("password")) : null;
      if (body.containsKey("password")) {
        PasswordHasher.requireAcceptable(password);
      }
    } catch (IllegalArgumentException e) {
      JsonResponses.error(ctx, 400, e.getMessage());
      return;
    }
    if (roles == null && agencies == null && disabled == null && password == null) {
      JsonResponses.error(ctx, 400, "send one or more of roles, agencies, disabled, password");
      return;
    }
    if (caller.username().equals(username)
        && (Boolean.TRUE.equals(disabled) || (roles != null && !roles.contains(Role.ADMIN)))) {
      JsonResponses.error(
          ctx, 409, "you cannot disable yourself or drop your own admin role: ask another admin");
      return;
    }
    vertx
        .executeBlocking(() -> users.find(username), false)
        .compose(
            found -> {
              if (found.isEmpty()) {
                JsonResponses.error(ctx, 404, "no user " + username);
                return Future.succeededFuture();
              }
              return apply(
                  ctx, caller.username(), found.get(), roles, agencies, disabled, password);
            })
        .onFailure(e -> AuditAppender.unavailable(ctx, e));
  }

  private Future<Void> apply(
      RoutingContext ctx,
      String actor,
      User before,
      Set<Role> roles,
      List<String> agencies,
      Boolean disabled,
      String password) {
    String username = before.username();
    List<AuditEvent> events = new ArrayList<>();
    String address = AuditAppender.clientAddress(ctx);
    if (roles != null || agencies != null) {
      Map<String, Object> details = new LinkedHashMap<>();
      if (roles != null) {
        details.put("roles_before", wireNames(before.roles()));
        details.put("roles", wireNames(roles));
      }
      if (agencies != null) {
        details.put("agencies_before", before.agencies());
        details.put("agencies", agencies);
      }
      events.add(AuditEvent.success(actor, address, "user.change", username, details));
    }
    if (disabled != null && disabled != before.disabled()) {
      events.add(
          AuditEvent.success(
              actor,
              address,
              disabled ? "user.disable" : "user.change",
              username,
              Map.of("disabled", disabled)));
    }
    if (password != null) {
      events.add(
          AuditEvent.success(actor, address, "user.password", username, Map.of("by", "admin")));
    }
    Future<Long> recorded = Future.succeededFuture(0L);
    for (AuditEvent event : events) {
      recorded = recorded.compose(seq -> audit.append(event));
    }
    return recorded
        .compose(
            seq ->
                vertx.executeBlocking(
                    () -> {
                      User after = before;
                      if (roles != null) {
                        after = after.withRoles(roles);
                      }
                      if (agencies != null) {
                        after = after.withAgencies(agencies);
                      }
                      if (disabled != null) {
                        after = after.withDisabled(disabled);
                      }
                      if (password != null) {
                        after = after.withPasswordHash(hasher.hash(password));
                      }
                      users.save(after);
                      return after;
                    },
                    false))
        .onSuccess(
            after -> {
              cache.forget(username);
              if (password != null) {
                throttle.unlock(username);
              }
              JsonResponses.ok(ctx, json(after));
            })
        .mapEmpty();
  }

  private JsonObject json(User user) {
    Optional<Instant> locked = throttle.lockedUntil(user.username());
    return JsonResponses.user(user)
        .put("disabled", user.disabled())
        .put("lockedUntil", locked.map(Instant::toString).orElse(null));
  }

  private static List<String> wireNames(Set<Role> roles) {
    return roles.stream().map(Role::wireName).sorted().toList();
  }

  static Set<Role> roles(Object value) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : strings(value, "roles")) {
      roles.add(Role.fromWireName(name));
    }
    return roles;
  }

  static List<String> strings(Object value, String field) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException(field + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(field + " must be a list of non-empty strings");
      }
      out.add(s.trim());
    }
    return out;
  }
}
