# zkamm_module(<name> [DEPS <module>...] [LIBS <target>...] [TEST_LIBS <target>...]
#              [ORACLE_TESTS <regex>])
#
# Turns src/<name>/ into the library zkamm::<name> (static, or header-only when the folder has
# no .cpp), tests/<name>/*.cpp into the GoogleTest binary zkamm_<name>_tests (registered with
# CTest), and bench/<name>/*.cpp into the Google Benchmark binary zkamm_<name>_bench.
# Tests see ZKAMM_SOURCE_DIR and ZKAMM_BINARY_DIR as string macros (for oracle scripts and data).
# CTest labels (docs/TESTING.md): each test is labelled <name> and either `oracle` (its full name,
# e.g. "l1.AnvilTest.ChainQueries", matches ORACLE_TESTS: it runs node_modules' npm tools or
# anvil) or `unit` (the fast core: `ctest -LE oracle`).
function(zkamm_module name)
  cmake_parse_arguments(ARG "" "ORACLE_TESTS" "DEPS;LIBS;TEST_LIBS" ${ARGN})
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

  file(GLOB test_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${name}/*.cpp)
  if(ZKAMM_BUILD_TESTS AND test_sources)
    add_executable(${target}_tests ${test_sources})
    target_link_libraries(${target}_tests PRIVATE ${target} ${ARG_TEST_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
    target_include_directories(${target}_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    target_compile_definitions(${target}_tests PRIVATE ZKAMM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                                       ZKAMM_BINARY_DIR="${PROJECT_BINARY_DIR}")
    gtest_discover_tests(${target}_tests DISCOVERY_TIMEOUT 120 TEST_PREFIX "${name}.")
    # Runs in ctest after the discovered tests' file (appended after it), which lists their names
    # in ${target}_tests_TESTS; labels cannot be given per test at discovery.
    set(oracle_regex "${ARG_ORACLE_TESTS}")
    if(NOT oracle_regex)
      set(oracle_regex "^$")
    endif()
    set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_tests_labels.cmake)
    file(WRITE ${labels_file}
         "foreach(t IN LISTS ${target}_tests_TESTS)\n"
         "  if(t MATCHES [=[${oracle_regex}]=])\n"
         "    set_tests_properties(\"\${t}\" PROPERTIES LABELS \"oracle;${name}\")\n"
         "  else()\n"
         "    set_tests_properties(\"\${t}\" PROPERTIES LABELS \"unit;${name}\")\n"
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
