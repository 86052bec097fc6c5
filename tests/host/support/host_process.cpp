#include "host/support/host_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include "support/event_wait.hpp"
#include "support/fd_wait.hpp"

extern char** environ;

namespace orch::test {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, int error = errno) {
    throw std::system_error(error, std::generic_category(), what);
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& overrides) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos) {
            env[entry.substr(0, eq)] = entry.substr(eq + 1);
        }
    }
    for (const auto& [key, value] : overrides) {
        if (value.empty()) {
            env.erase(key);
        } else {
            env[key] = value;
        }
    }
    std::vector<std::string> out;
    for (const auto& [key, value] : env) {
        out.push_back(key + "=" + value);
    }
    return out;
}

}  // namespace

HostProcess::HostProcess(const fs::path& executable, const std::vector<std::string>& args,
                         const fs::path& stderr_file, const std::map<std::string, std::string>& env,
                         const std::vector<int>& closed_fds)
    : stderr_file_(stderr_file) {
    std::array<int, 2> pipe_fds{};
    if (pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
        fail("pipe2");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const auto closed = [&](int fd) {
        return std::find(closed_fds.begin(), closed_fds.end(), fd) != closed_fds.end();
    };
    if (closed(0)) {
        posix_spawn_file_actions_addclose(&actions, 0);
    }
    if (closed(1)) {
        posix_spawn_file_actions_addclose(&actions, 1);
    } else {
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    }
    if (closed(2)) {
        posix_spawn_file_actions_addclose(&actions, 2);
    } else {
        posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
    }
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

    std::vector<std::string> argv_strings{executable.string()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_strings = merged_environment(env);
    std::vector<char*> envp;
    for (auto& e : env_strings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);

    const int rc =
        posix_spawn(&pid_, executable.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(pipe_fds[1]);
    if (rc != 0) {
        close(pipe_fds[0]);
        fail("posix_spawn " + executable.string(), rc);
    }
    stdout_fd_ = pipe_fds[0];
}

HostProcess::~HostProcess() {
    if (!reaped_ && pid_ > 0) {
        kill(-pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0) {
        close(stdout_fd_);
    }
}

bool HostProcess::read_more(Clock::time_point deadline) {
    if (eof_) {
        return false;
    }
    if (!wait_readable(stdout_fd_, deadline)) {
        return false;
    }
    std::array<char, 4096> chunk{};
    const ssize_t n = read(stdout_fd_, chunk.data(), chunk.size());
    if (n <= 0) {
        eof_ = true;
        return false;
    }
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
}

std::optional<std::string> HostProcess::read_stdout_line(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        const auto newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            return line;
        }
        if (!read_more(deadline)) {
            return std::nullopt;
        }
    }
}

std::optional<std::string> HostProcess::read_stdout_to_eof(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (read_more(deadline)) {
    }
    if (!eof_) {
        return std::nullopt;
    }
    return std::exchange(buffer_, {});
}

void HostProcess::send_signal(int signal) {
    if (kill(pid_, signal) != 0) {
        fail("kill");
    }
}

std::optional<int> HostProcess::wait_exit(std::chrono::milliseconds timeout) {
    if (!wait_for_process_exit(pid_, timeout)) {
        return std::nullopt;
    }
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) {
        fail("waitpid");
    }
    reaped_ = true;
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

std::string HostProcess::stderr_text() const {
    std::ifstream in(stderr_file_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::optional<std::uint16_t> listening_port(const std::string& line) {
    static constexpr std::string_view kPrefix = "listening on ";
    const auto colon = line.rfind(':');
    if (line.rfind(kPrefix, 0) != 0 || colon == std::string::npos) {
        return std::nullopt;
    }
    try {
        const int port = std::stoi(line.substr(colon + 1));
        if (port <= 0 || port > 65535) {
            return std::nullopt;
        }
        return static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

HttpResponse http_request(std::uint16_t port, const std::string& method, const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    HttpResponse out;
    out.status = static_cast<int>(response.getStatus());
    out.content_type = response.getContentType();
    Poco::StreamCopier::copyToString(body, out.body);
    return out;
}

}  // namespace orch::test
