package org.vigil.dashboards;

import java.util.List;
import java.util.Optional;

/** Where dashboard users live. Calls may block (network, disk): keep them off the event loop. */
public interface UserStore {

  Optional<User> find(String username);

  /** Creates the user or replaces the one with the same username. */
  void save(User user);

  /** Returns true when a user was deleted. */
  boolean delete(String username);

  /** All users, ordered by username. */
  List<User> list();
}
