# ctest -R Install.PutsPlenaryInPrefixBin: `cmake --install BUILD_DIR --prefix PREFIX` puts a
# working `plenary` in PREFIX/bin. Run as cmake -DBUILD_DIR=... -DPREFIX=... -DVERSION=... -P.
foreach(var BUILD_DIR PREFIX VERSION SOURCE_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_test.cmake needs -D${var}=...")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${status}):\n${out}${err}")
endif()

set(exe "${PREFIX}/bin/plenary")
if(NOT EXISTS "${exe}" OR IS_DIRECTORY "${exe}")
  message(FATAL_ERROR "cmake --install did not write ${exe}:\n${out}")
endif()
execute_process(COMMAND "${exe}" --version
                RESULT_VARIABLE status OUTPUT_VARIABLE version ERROR_VARIABLE err
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT status EQUAL 0 OR NOT version STREQUAL "plenary ${VERSION}")
  message(FATAL_ERROR "${exe} --version gave status ${status} and '${version}' (expected "
                      "'plenary ${VERSION}'):\n${err}")
endif()
# The installed copy works on its own, away from the build tree: it runs a scenario.
execute_process(COMMAND "${exe}" validate "${SOURCE_DIR}/scenarios/example.yaml"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${exe} validate scenarios/example.yaml failed (${status}):\n${out}${err}")
endif()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "installed and ran ${exe}: ${version}")
