package org.vigil.dashboards;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A user store in a map, counting lookups so tests can see when the server skips them. */
final class InMemoryUserStore implements UserStore {
  private final Map<String, User> users = new ConcurrentHashMap<>();
  final AtomicInteger finds = new AtomicInteger();

  @Override
  public Optional<User> find(String username) {
    finds.incrementAndGet();
    return Optional.ofNullable(users.get(username));
  }

  @Override
  public void save(User user) {
    users.put(user.username(), user);
  }

  @Override
  public boolean delete(String username) {
    return users.remove(username) != null;
  }

  @Override
  public List<User> list() {
    return users.values().stream().sorted(Comparator.comparing(User::username)).toList();
  }
}
