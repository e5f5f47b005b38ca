# Installs headers, libraries, tools and the Tamp CMake package so that an
# external project can `find_package(Tamp)` and link Tamp::TampImport etc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(tamp_libs GLOBAL PROPERTY TAMP_EXPORTED_LIBS)
install(TARGETS ${tamp_libs} EXPORT TampTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS tamp tamp-opt tamp-run RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/tamp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${TAMP_BINARY_DIR}/include/tamp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.inc" PATTERN "*.h")

set(TAMP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Tamp)
install(EXPORT TampTargets NAMESPACE Tamp:: DESTINATION ${TAMP_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/TampConfig.cmake.in
  ${TAMP_BINARY_DIR}/TampConfig.cmake INSTALL_DESTINATION ${TAMP_INSTALL_CMAKEDIR})
write_basic_package_version_file(${TAMP_BINARY_DIR}/TampConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${TAMP_BINARY_DIR}/TampConfig.cmake ${TAMP_BINARY_DIR}/TampConfigVersion.cmake
  DESTINATION ${TAMP_INSTALL_CMAKEDIR})
