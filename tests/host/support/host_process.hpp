#pragma once
// Drives the real host_stub binary as a child process: its stdout through a pipe (the listening
// line, the --once JSON), its stderr into a file (the log), signals, and exit with a deadline.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace orch::test {

using namespace std::chrono_literals;

class HostProcess {
  public:
    // Starts `executable` with `args` in its own process group, SIGINT/SIGTERM at their default
    // action, the environment of this process plus `env` (a value of "" unsets the variable).
    // Descriptors in `closed_fds` (of 0, 1, 2) are closed in the child, as some supervisors
    // start daemons; stdout then reads as EOF at once.
    HostProcess(const std::filesystem::path& executable, const std::vector<std::string>& args,
                const std::filesystem::path& stderr_file,
                const std::map<std::string, std::string>& env = {},
                const std::vector<int>& closed_fds = {});
    // A child still running gets SIGKILL (its whole group) and is reaped.
    ~HostProcess();
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    pid_t pid() const { return pid_; }

    // The next stdout line, or nullopt at EOF or at the deadline.
    std::optional<std::string> read_stdout_line(std::chrono::milliseconds timeout = 20s);
    // Everything up to EOF (nullopt at the deadline).
    std::optional<std::string> read_stdout_to_eof(std::chrono::milliseconds timeout = 20s);

    void send_signal(int signal);

    // The exit status (WEXITSTATUS), 128 + signal when killed by one, nullopt at the deadline.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = 20s);

    std::string stderr_text() const;

  private:
    bool read_more(std::chrono::steady_clock::time_point deadline);

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    bool eof_ = false;
    bool reaped_ = false;
    std::string buffer_;
    std::filesystem::path stderr_file_;
};

// "listening on 127.0.0.1:43817" -> 43817; nullopt if the line is not of that form.
std::optional<std::uint16_t> listening_port(const std::string& line);

struct HttpResponse {
    int status = 0;
    std::string content_type;
    std::string body;
};

// One request to 127.0.0.1:port with a 10 s timeout. Throws on connection errors.
HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& path);

}  // namespace orch::test
