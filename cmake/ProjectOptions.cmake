# Project-wide compile settings, applied to every target through orch_project_options.
# -Wnull-dereference is left out on purpose: with GCC 12 at -O2 it fires inside libstdc++'s
# streambuf for every istreambuf_iterator, which -Werror would turn into a broken CI build.
add_library(orch_project_options INTERFACE)
target_compile_options(orch_project_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    $<$<BOOL:${ORCH_WARNINGS_AS_ERRORS}>:-Werror>)

if(ORCH_SANITIZE)
    list(JOIN ORCH_SANITIZE "," _orch_sanitizers)
    set(_orch_san_flags -fsanitize=${_orch_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_compile_options(orch_project_options INTERFACE ${_orch_san_flags})
    target_link_options(orch_project_options INTERFACE ${_orch_san_flags})
endif()
