"""Activities: the only place where work with side effects or cost belongs."""
