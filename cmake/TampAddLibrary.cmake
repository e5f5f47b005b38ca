# tamp_add_library(name SRCS... [DEPENDS targets...] [LINK_LIBS libs...])
#
# A static Tamp library that links libMLIR.so (never MLIR's static archives),
# is exported in the Tamp CMake package and installed with the headers.
function(tamp_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS;PRIVATE_LINK_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  add_library(Tamp::${name} ALIAS ${name})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${TAMP_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${TAMP_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS} MLIR LLVM)
  if(ARG_PRIVATE_LINK_LIBS)
    target_link_libraries(${name} PRIVATE ${ARG_PRIVATE_LINK_LIBS})
  endif()
  set_property(GLOBAL APPEND PROPERTY TAMP_EXPORTED_LIBS ${name})
endfunction()
