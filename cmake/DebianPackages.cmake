# Two Debian packages from the install rules (CPack's DEB generator, one package per component):
#   build-cache-pruner      component `pruner`: the plugin and its manifest (a conffile in /etc)
#   orchestrator-host-stub  component `host`:   host_stub and its systemd unit
# scripts/package.sh configures the `package` preset (prefix /usr, ORCH_DEBIAN_PACKAGE=ON) and
# runs cpack. Other components (the plugin SDK) are not packaged.
set(ORCH_DEB_PRUNER build-cache-pruner)
set(ORCH_DEB_HOST orchestrator-host-stub)
set(ORCH_DOC_ROOT "${CMAKE_INSTALL_FULL_DATAROOTDIR}/doc")

set(CPACK_DEBIAN_PACKAGE_MAINTAINER
    "build-cache-pruner maintainers <maintainers@users.noreply.r-seed-e86e924a.example>")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1 CACHE STRING "Debian revision of the packages")
set(ORCH_DEB_VERSION "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

if(ORCH_DEBIAN_PACKAGE)
    if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
        message(FATAL_ERROR "ORCH_DEBIAN_PACKAGE needs CMAKE_INSTALL_PREFIX=/usr "
                            "(is '${CMAKE_INSTALL_PREFIX}'): use the `package` preset")
    endif()
    find_program(ORCH_GZIP gzip REQUIRED)
    configure_file(packaging/orchestrator-host-stub.service.in
        packaging/orchestrator-host-stub.service @ONLY)
    install(FILES "${CMAKE_CURRENT_BINARY_DIR}/packaging/orchestrator-host-stub.service"
        DESTINATION lib/systemd/system COMPONENT host)
    install(FILES packaging/orchestrator-host-stub.default
        DESTINATION "${CMAKE_INSTALL_FULL_SYSCONFDIR}/default" RENAME orchestrator-host-stub
        COMPONENT host)

    # /usr/share/doc/<package>: copyright, changelog.Debian.gz (gzip -n: reproducible), README.
    foreach(component pruner host)
        string(TOUPPER "${component}" upper)
        set(ORCH_DEB_PACKAGE "${ORCH_DEB_${upper}}")
        set(stage "${CMAKE_CURRENT_BINARY_DIR}/packaging/${component}")
        configure_file(packaging/changelog.in "${stage}/changelog.Debian" @ONLY)
        execute_process(COMMAND "${ORCH_GZIP}" -9nf "${stage}/changelog.Debian"
            COMMAND_ERROR_IS_FATAL ANY)
        install(FILES packaging/copyright README.md "${stage}/changelog.Debian.gz"
            DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/${ORCH_DEB_PACKAGE}"
            COMPONENT ${component})
    endforeach()

    # The manual page, gzip -n like the changelogs.
    configure_file(packaging/host_stub.1 packaging/host/host_stub.1 COPYONLY)
    execute_process(COMMAND "${ORCH_GZIP}" -9nf "${CMAKE_CURRENT_BINARY_DIR}/packaging/host/host_stub.1"
        COMMAND_ERROR_IS_FATAL ANY)
    install(FILES "${CMAKE_CURRENT_BINARY_DIR}/packaging/host/host_stub.1.gz"
        DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT host)

    # CPack does not mark /etc files as conffiles (that is debhelper's job): list them here.
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/packaging/pruner/conffiles"
        "${CMAKE_INSTALL_FULL_SYSCONFDIR}/orchestrator/manifests/build_cache_pruner.json\n")
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/packaging/host/conffiles"
        "${CMAKE_INSTALL_FULL_SYSCONFDIR}/default/orchestrator-host-stub\n")
endif()

set(CPACK_GENERATOR DEB)
# Each package's own description below starts with its synopsis line; CPackDeb prepends the
# summary unless it is CPack's default, so keep the default rather than the project's one.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_NAME orchestrator)
set(CPACK_PACKAGE_VENDOR "build-cache-pruner maintainers")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL pruner host)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_PRUNER_PACKAGE_NAME "${ORCH_DEB_PRUNER}")
# Added to what dpkg-shlibdeps finds: the plugin runs ssh.
set(CPACK_DEBIAN_PRUNER_PACKAGE_DEPENDS "openssh-client")
set(CPACK_DEBIAN_PRUNER_PACKAGE_SUGGESTS "${ORCH_DEB_HOST}")
set(CPACK_DEBIAN_PRUNER_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_BINARY_DIR}/packaging/pruner/conffiles")
set(CPACK_DEBIAN_PRUNER_DESCRIPTION
    "orchestrator plugin that prunes docker build cache over ssh
Every interval the plugin runs only 'docker builder prune' with an age filter
on a docker host over ssh, reports what was reclaimed in the host's /queue
status and notifies operators above a threshold. It is enabled by its
manifest in /etc/orchestrator/manifests, which survives upgrades.")

set(CPACK_DEBIAN_HOST_PACKAGE_NAME "${ORCH_DEB_HOST}")
set(CPACK_DEBIAN_HOST_PACKAGE_RECOMMENDS "${ORCH_DEB_PRUNER}")
set(CPACK_DEBIAN_HOST_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_BINARY_DIR}/packaging/host/conffiles")
set(CPACK_DEBIAN_HOST_DESCRIPTION
    "reference plugin host for orchestrator plugins
host_stub loads the plugins named by the manifests in
/etc/orchestrator/manifests, runs their lifespan as the orchestrator does and
serves the aggregated GET /queue on loopback. It ships a hardened systemd
service, orchestrator-host-stub.")

include(CPack)
