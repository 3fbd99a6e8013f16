# zkamm_module(<name> [DEPS <module>...] [LIBS <target>...] [TEST_LIBS <target>...]
#              [ORACLE_TESTS <regex>] [ORACLE_SOURCES <file>...] [ALONE_TESTS <regex>]
#              [THREAD_SAFETY])
#
# Turns src/<name>/ into the library zkamm::<name> (static, or header-only when the folder has
# no .cpp), tests/<name>/*.cpp into the GoogleTest binary zkamm_<name>_tests (registered with
# CTest), and bench/<name>/*.cpp into the Google Benchmark binary zkamm_<name>_bench.
# Tests see ZKAMM_SOURCE_DIR and ZKAMM_BINARY_DIR as string macros (for oracle scripts and data).
# CTest labels (docs/TESTING.md): each test is labelled <name> and either `oracle` (its full name,
# e.g. "l1.AnvilTest.ChainQueries", matches ORACLE_TESTS: it runs node_modules' npm tools or
# anvil) or `unit` (the fast core: `ctest -LE oracle`).
# ORACLE_SOURCES: files of tests/<name>/ that hold only oracle tests; with ZKAMM_ORACLE_TESTS off
# (the ci-sanitize stage, whose ctest runs only `unit` tests) they are not built, since compiling
# a test that never runs is all they would cost there (a unit test put in one would not run there).
# ALONE_TESTS: tests that start several processes and hold timing windows (leases, fences, kill
# and restart): ctest runs each with no other test beside it (RUN_SERIAL), since CI's ctest runs
# two tests at once on its two cores.
# THREAD_SAFETY: the module's locks carry clang's thread-safety annotations
# (src/node/thread_annotations.hpp); under clang (the ci-sanitize stage) its sources and tests
# compile with -Wthread-safety as an error, so an unguarded read of a GUARDED_BY member fails the
# build. g++ has no such analysis (the macros expand to nothing), so the flag is clang's only.
function(zkamm_module name)
  cmake_parse_arguments(ARG "THREAD_SAFETY" "ORACLE_TESTS;ALONE_TESTS" "DEPS;LIBS;TEST_LIBS;ORACLE_SOURCES" ${ARGN})
  set(tsa_flags)
  if(ARG_THREAD_SAFETY)
    set(clang_cxx $<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:Clang>>)
    set(tsa_flags $<${clang_cxx}:-Wthread-safety> $<${clang_cxx}:-Werror=thread-safety>)
  endif()
  set(target zkamm_${name})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  set(dep_targets)
  foreach(dep IN LISTS ARG_DEPS)
    list(APPEND dep_targets zkamm::${dep})
  endforeach()
  if(sources)
    add_library(${target} STATIC ${sources})
    set(scope PUBLIC)
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  add_library(zkamm::${name} ALIAS ${target})
  target_include_directories(${target} ${scope} ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} ${scope} ${dep_targets} ${ARG_LIBS} Threads::Threads)
  if(sources AND tsa_flags)
    target_compile_options(${target} PRIVATE ${tsa_flags})
  endif()

  file(GLOB test_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${name}/*.cpp)
  foreach(f IN LISTS ARG_ORACLE_SOURCES)
    set(path ${PROJECT_SOURCE_DIR}/tests/${name}/${f})
    if(NOT EXISTS ${path})
      message(FATAL_ERROR "zkamm_module(${name}): ORACLE_SOURCES names ${f}, which is not in tests/${name}/")
    endif()
    if(NOT ZKAMM_ORACLE_TESTS)
      list(REMOVE_ITEM test_sources ${path})
    endif()
  endforeach()
  if(ZKAMM_BUILD_TESTS AND test_sources)
    add_executable(${target}_tests ${test_sources})
    target_link_libraries(${target}_tests PRIVATE ${target} ${ARG_TEST_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
    target_include_directories(${target}_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    if(TARGET zkamm_test_pch)  # clang: the tests' shared precompiled header (CMakeLists.txt)
      target_precompile_headers(${target}_tests REUSE_FROM zkamm_test_pch)
    endif()
    target_compile_options(${target}_tests PRIVATE ${ZKAMM_TEST_OPT_FLAGS})
    if(ZKAMM_UNITY_TESTS)
      # The test files of a folder share their heavy headers (gtest, the node, Beast, RocksDB):
      # parsed once, not once per file (docs/TESTING.md "What CI's stages cost"). A file's private
      # names must differ from its folder's other files' (a clash is a compile error). One TU per
      # folder rather than batches, so that a new file cannot move a clash out of sight.
      set_target_properties(${target}_tests PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
    endif()
    if(tsa_flags)
      target_compile_options(${target}_tests PRIVATE ${tsa_flags})
    endif()
    target_compile_definitions(${target}_tests PRIVATE ZKAMM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                                       ZKAMM_BINARY_DIR="${PROJECT_BINARY_DIR}")
    gtest_discover_tests(${target}_tests DISCOVERY_TIMEOUT 120 TEST_PREFIX "${name}.")
    # Runs in ctest after the discovered tests' file (appended after it), which lists their names
    # in ${target}_tests_TESTS; labels cannot be given per test at discovery.
    set(oracle_regex "${ARG_ORACLE_TESTS}")
    if(NOT oracle_regex)
      set(oracle_regex "^$")
    endif()
    set(alone_regex "${ARG_ALONE_TESTS}")
    if(NOT alone_regex)
      set(alone_regex "^$")
    endif()
    set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_tests_labels.cmake)
    file(WRITE ${labels_file}
         "foreach(t IN LISTS ${target}_tests_TESTS)\n"
         "  if(t MATCHES [=[${oracle_regex}]=])\n"
         "    set_tests_properties(\"\${t}\" PROPERTIES LABELS \"oracle;${name}\")\n"
         "  else()\n"
         "    set_tests_properties(\"\${t}\" PROPERTIES LABELS \"unit;${name}\")\n"
         "  endif()\n"
         "  if(t MATCHES [=[${alone_regex}]=])\n"
         "    set_tests_properties(\"\${t}\" PROPERTIES RUN_SERIAL TRUE)\n"
         "  endif()\n"
         "endforeach()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_file})
  endif()

  file(GLOB bench_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/bench/${name}/*.cpp)
  if(ZKAMM_BUILD_BENCH AND bench_sources)
    add_executable(${target}_bench ${bench_sources})
    target_link_libraries(${target}_bench PRIVATE ${target} benchmark::benchmark benchmark::benchmark_main)
  endif()
endfunction()

# zkamm_conversion_warnings(<target>...)
#
# Implicit conversions that may change a value (-Wconversion) or its sign (-Wsign-conversion) are
# warnings, so errors under ZKAMM_WERROR, in the targets named (docs/TESTING.md "Style"): on the
# modules whose code has none (GCC 12 and clang 14), so that a new one is a deliberate, checked
# narrowing (static_cast after a range check, or an error returned) instead of a silent one.
function(zkamm_conversion_warnings)
  foreach(t IN LISTS ARGN)
    if(TARGET ${t})
      target_compile_options(${t} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wconversion> $<$<COMPILE_LANGUAGE:CXX>:-Wsign-conversion>)
    endif()
  endforeach()
endfunction()
