# ctest driver: install Tamp into a scratch prefix, build test/install/consumer
# against it with find_package(Tamp), and import a model with the result.
# Inputs: TAMP_BINARY_DIR, TAMP_SOURCE_DIR, WORK_DIR, PYTHON, CXX_COMPILER.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${TAMP_BINARY_DIR} --prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} -G Ninja -S ${TAMP_SOURCE_DIR}/test/install/consumer
    -B ${WORK_DIR}/build -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${PYTHON} ${TAMP_SOURCE_DIR}/scripts/make_example_model.py ${WORK_DIR}/model.onnx)
run(${WORK_DIR}/build/tamp-consumer ${WORK_DIR}/model.onnx)
if(NOT last_output MATCHES "tamp ops: [1-9]" OR NOT last_output MATCHES "tamp.conv")
  message(FATAL_ERROR "unexpected consumer output:\n${last_output}")
endif()
set(import_output "${last_output}")
run(${WORK_DIR}/build/tamp-rt-consumer)
if(NOT last_output MATCHES "runtime: load error, float32")
  message(FATAL_ERROR "unexpected runtime consumer output:\n${last_output}")
endif()
message(STATUS "installed package works:\n${import_output}${last_output}")
