# The fuzz harnesses without libFuzzer (replay_main.cpp), built with the normal compiler in
# every preset: ctest `fuzz.replay.TARGET` (labels unit and fuzz, so the sanitizer run has
# them too) runs each seed and each regression input once.
set(PLENARY_FUZZ_REPLAY_TARGETS
  scenario members positions agreement tables voeten undl journal set what_if target gunzip)
foreach(name IN LISTS PLENARY_FUZZ_REPLAY_TARGETS)
  set(dir ${PROJECT_SOURCE_DIR}/tests/fuzz)
  add_executable(replay_${name} ${dir}/fuzz_${name}.cpp ${dir}/replay_main.cpp)
  target_include_directories(replay_${name} PRIVATE ${PROJECT_SOURCE_DIR}/sim)
  target_link_libraries(replay_${name} PRIVATE
    plenary::core plenary::calibrate plenary::scale plenary::fit plenary_settings)
  target_compile_definitions(replay_${name}
    PRIVATE PLENARY_FUZZ_SCENARIO_DATA="${PROJECT_SOURCE_DIR}/tests/scenario/data")
  set(inputs ${dir}/corpus/${name})
  if(IS_DIRECTORY ${dir}/regressions/${name})
    list(APPEND inputs ${dir}/regressions/${name})
  endif()
  add_test(NAME fuzz.replay.${name} COMMAND replay_${name} ${inputs})
  set_tests_properties(fuzz.replay.${name} PROPERTIES LABELS "unit;fuzz" TIMEOUT 120)
endforeach()
