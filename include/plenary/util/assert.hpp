#pragma once
/// PLENARY_ASSERT(cond): a broken invariant is a bug. On in Debug and RelWithDebInfo
/// (whenever NDEBUG is not defined, or PLENARY_ENABLE_ASSERTS is), compiled out otherwise.

#include <cstdio>
#include <cstdlib>

#if !defined(NDEBUG) || defined(PLENARY_ENABLE_ASSERTS)
#define PLENARY_ASSERT(cond)                                                                     \
  do {                                                                                           \
    if (!(cond)) {                                                                               \
      std::fprintf(stderr, "%s:%d: internal error: assertion '%s' failed\n", __FILE__, __LINE__, \
                   #cond);                                                                       \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)
#else
#define PLENARY_ASSERT(cond) \
  do {                       \
  } while (false)
#endif
