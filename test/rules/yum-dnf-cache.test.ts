import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import rule from '../../server/src/rules/yum-dnf-cache';
import { ruleTester, lines } from '../helpers/rule-tester';
import { lint } from '../../server/src/engine/lint';

const EL7 = 'FROM centos:7';
const FEDORA = 'FROM fedora:40';
const UBI = 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4';
const SUSE = 'FROM opensuse/leap:15.6';
const YUM_CLEAN = 'yum clean all && rm -rf /var/cache/yum';

ruleTester.run(rule, {
  valid: [
    lines(EL7, 'RUN yum install -y httpd && yum clean all'),
    lines(EL7, `RUN yum -y install httpd && ${YUM_CLEAN}`),
    lines(EL7, 'RUN yum install -y httpd && rm -rf /var/cache/yum'),
    lines(EL7, 'RUN yum install -y httpd; rm -rf /var/cache/yum/*'),
    lines(EL7, 'RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd'),
    lines(EL7, 'RUN --mount=type=tmpfs,target=/var/cache yum install -y httpd'),
    lines(FEDORA, 'RUN dnf install -y gcc && dnf clean all'),
    lines(FEDORA, 'RUN dnf -y --setopt=install_weak_deps=False install gcc && rm -rf /var/cache/dnf'),
    lines(FEDORA, 'RUN dnf5 install -y gcc && rm -rf /var/cache/libdnf5'),
    lines(FEDORA, 'RUN --mount=type=cache,target=/var/cache/dnf dnf install -y gcc'),
    lines('FROM rockylinux:9', 'RUN yum install -y git && dnf clean all'),
    lines('FROM rockylinux:9', 'RUN dnf install -y git && yum clean all'),
    lines(UBI, 'RUN microdnf install -y tar gzip && microdnf clean all'),
    lines(UBI, 'RUN --mount=type=cache,target=/var/cache/yum microdnf install -y tar'),
    lines(SUSE, 'RUN zypper --non-interactive install -y curl && zypper clean -a'),
    lines(SUSE, 'RUN zypper in -y curl && zypper clean'),
    lines('FROM mcr.microsoft.com/azurelinux/base/core:3.0', 'RUN tdnf install -y ca-certificates && tdnf clean all'),
    lines(SUSE, 'RUN zypper -n in curl && zypper cc'),
    lines(SUSE, 'RUN zypper -n in curl && rm -rf /var/cache/zypp'),
    lines(SUSE, 'RUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl'),
    lines(EL7, `RUN bash -c 'yum install -y httpd && yum clean all'`),
    lines(EL7, 'RUN ["sh", "-c", "yum install -y httpd && yum clean all"]'),
    lines(EL7, 'RUN <<EOF', 'yum install -y httpd', 'yum clean all', 'EOF'),
    lines(EL7, 'RUN yum list installed'),
    lines(EL7, 'RUN yum remove -y httpd'),
    lines(EL7, 'RUN yum install --help'),
    lines(FEDORA, 'RUN dnf search gcc'),
    lines(SUSE, 'RUN zypper search curl'),
    lines(EL7, 'RUN yum-config-manager --enable epel'),
    lines(EL7, 'RUN echo "yum install -y httpd"'),
    lines(EL7, '# RUN yum install -y httpd'),
  ],
  invalid: [
    {
      code: lines(EL7, 'RUN yum -y install httpd'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 25, messageIncludes: ['yum install', '/var/cache/yum', '50-200 MB', YUM_CLEAN] }],
      output: lines(EL7, `RUN yum -y install httpd && ${YUM_CLEAN}`),
      fixes: [
        { title: `Append ${YUM_CLEAN}`, output: lines(EL7, `RUN yum -y install httpd && ${YUM_CLEAN}`) },
        { title: 'Use a BuildKit cache mount on /var/cache/yum', output: lines(EL7, 'RUN --mount=type=cache,target=/var/cache/yum,sharing=locked yum -y install httpd') },
      ],
    },
    {
      name: 'yum groupinstall, with an option value before the subcommand',
      code: lines(EL7, 'RUN yum --enablerepo epel groupinstall -y "Development Tools"'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 62, messageIncludes: ['yum groupinstall'] }],
      output: lines(EL7, `RUN yum --enablerepo epel groupinstall -y "Development Tools" && ${YUM_CLEAN}`),
    },
    {
      name: 'two dnf installs: each reported, fix-all appends one clean',
      code: lines(FEDORA, 'RUN dnf install -y gcc && dnf install -y make'),
      findings: [
        { messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 23, messageIncludes: ['dnf install', '/var/cache/dnf', 'dnf clean all'] },
        { messageId: 'cacheLeft', line: 2, column: 27, endLine: 2, endColumn: 46 },
      ],
      output: lines(FEDORA, 'RUN dnf install -y gcc && dnf install -y make && dnf clean all'),
      fixes: [
        { title: 'Append dnf clean all', output: lines(FEDORA, 'RUN dnf install -y gcc && dnf install -y make && dnf clean all') },
        { title: 'Use a BuildKit cache mount on /var/cache/dnf', output: lines(FEDORA, 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked dnf install -y gcc && dnf install -y make') },
      ],
    },
    {
      name: 'dnf group install',
      code: lines('FROM rockylinux:9', 'RUN dnf group install -y "Development Tools"'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 45, messageIncludes: ['dnf group install'] }],
      output: lines('FROM rockylinux:9', 'RUN dnf group install -y "Development Tools" && dnf clean all'),
    },
    {
      name: 'microdnf: its cache is /var/cache/yum',
      code: lines(UBI, 'RUN microdnf install -y tar'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 28, messageIncludes: ['microdnf install', '/var/cache/yum', 'microdnf clean all'] }],
      output: lines(UBI, 'RUN microdnf install -y tar && microdnf clean all'),
      fixes: [
        { title: 'Append microdnf clean all', output: lines(UBI, 'RUN microdnf install -y tar && microdnf clean all') },
        { title: 'Use a BuildKit cache mount on /var/cache/yum', output: lines(UBI, 'RUN --mount=type=cache,target=/var/cache/yum,sharing=locked microdnf install -y tar') },
      ],
    },
    {
      name: 'tdnf (Azure Linux, Photon OS)',
      code: lines('FROM mcr.microsoft.com/azurelinux/base/core:3.0', 'RUN tdnf install -y ca-certificates'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 36, messageIncludes: ['tdnf install', '/var/cache/tdnf', 'tdnf clean all'] }],
      output: lines('FROM mcr.microsoft.com/azurelinux/base/core:3.0', 'RUN tdnf install -y ca-certificates && tdnf clean all'),
    },
    {
      name: 'zypper --non-interactive install',
      code: lines(SUSE, 'RUN zypper --non-interactive install curl'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 42, messageIncludes: ['zypper install', '/var/cache/zypp', 'zypper clean -a'] }],
      output: lines(SUSE, 'RUN zypper --non-interactive install curl && zypper clean -a'),
      fixes: [
        { title: 'Append zypper clean -a', output: lines(SUSE, 'RUN zypper --non-interactive install curl && zypper clean -a') },
        { title: 'Use a BuildKit cache mount on /var/cache/zypp', output: lines(SUSE, 'RUN --mount=type=cache,target=/var/cache/zypp,sharing=locked zypper --non-interactive install curl') },
      ],
    },
    {
      name: 'zypper in',
      code: lines(SUSE, 'RUN zypper -n in curl'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 22, messageIncludes: ['zypper in'] }],
      output: lines(SUSE, 'RUN zypper -n in curl && zypper clean -a'),
    },
    {
      name: 'zypper --root: the cache is below that root, reported without a fix',
      code: lines(SUSE, 'RUN zypper --root /mnt/rootfs -n in curl'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 41 }],
      output: null,
    },
    {
      name: 'dnf --installroot: reported without a fix',
      code: lines(FEDORA, 'RUN dnf install -y --installroot /mnt/rootfs --releasever 40 coreutils'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 71 }],
      output: null,
    },
    {
      name: 'a clean before the install does not count',
      code: lines(EL7, 'RUN yum clean all && yum install -y httpd'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 22, endLine: 2, endColumn: 42 }],
      output: lines(EL7, `RUN yum clean all && yum install -y httpd && ${YUM_CLEAN}`),
    },
    {
      name: 'a removal before the install does not count',
      code: lines(FEDORA, 'RUN rm -rf /var/cache/dnf && dnf install -y gcc'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 30, endLine: 2, endColumn: 48 }],
      output: lines(FEDORA, 'RUN rm -rf /var/cache/dnf && dnf install -y gcc && dnf clean all'),
    },
    {
      name: "another family's clean does not count",
      code: lines(UBI, 'RUN microdnf install -y tar && dnf clean all'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 28 }],
      output: lines(UBI, 'RUN microdnf install -y tar && dnf clean all && microdnf clean all'),
    },
    {
      name: 'only clean all counts',
      code: lines(EL7, 'RUN yum install -y httpd && yum clean packages'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 25 }],
      output: lines(EL7, `RUN yum install -y httpd && yum clean packages && ${YUM_CLEAN}`),
    },
    {
      name: 'sudo and continuations across lines: the clean runs with sudo too',
      code: lines(EL7, 'RUN sudo yum install -y \\', '      httpd \\', '      mod_ssl'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 10, endLine: 4, endColumn: 14 }],
      output: lines(EL7, 'RUN sudo yum install -y \\', '      httpd \\', '      mod_ssl && sudo yum clean all && sudo rm -rf /var/cache/yum'),
    },
    {
      name: 'bash -c',
      code: lines(FEDORA, `RUN bash -c "dnf install -y gcc"`),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 14, endLine: 2, endColumn: 32 }],
      output: lines(FEDORA, `RUN bash -c "dnf install -y gcc" && dnf clean all`),
    },
    {
      name: 'exec form with a shell',
      code: lines(EL7, 'RUN ["/bin/bash", "-c", "yum install -y httpd"]'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 26, endLine: 2, endColumn: 46 }],
      output: lines(EL7, `RUN ["/bin/bash", "-c", "yum install -y httpd && ${YUM_CLEAN}"]`),
    },
    {
      name: 'exec form without a shell: only the cache mount',
      code: lines(FEDORA, 'RUN ["dnf", "install", "-y", "gcc"]'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 7, endLine: 2, endColumn: 34 }],
      output: lines(FEDORA, 'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked ["dnf", "install", "-y", "gcc"]'),
    },
    {
      name: 'heredoc script',
      code: lines(FEDORA, 'RUN <<EOF', 'set -eux', 'dnf install -y gcc', 'EOF'),
      findings: [{ messageId: 'cacheLeft', line: 4, column: 1, endLine: 4, endColumn: 19 }],
      output: lines(FEDORA, 'RUN <<EOF', 'set -eux', 'dnf install -y gcc && dnf clean all', 'EOF'),
    },
    {
      name: 'a trailing & gets no append, only the mount suggestion',
      code: lines(EL7, 'RUN yum install -y httpd &'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 25 }],
      output: lines(EL7, 'RUN --mount=type=cache,target=/var/cache/yum,sharing=locked yum install -y httpd &'),
    },
    {
      name: 'a trailing comment gets no append, only the mount suggestion',
      code: lines(SUSE, 'RUN zypper -n in curl # tools'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 22 }],
      output: lines(SUSE, 'RUN --mount=type=cache,target=/var/cache/zypp,sharing=locked zypper -n in curl # tools'),
    },
    {
      name: 'update and makecache fill the cache too',
      code: lines(EL7, 'RUN yum makecache && yum update -y'),
      findings: [
        { messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 18, messageIncludes: ['yum makecache'] },
        { messageId: 'cacheLeft', line: 2, column: 22, endLine: 2, endColumn: 35, messageIncludes: ['yum update'] },
      ],
      output: lines(EL7, `RUN yum makecache && yum update -y && ${YUM_CLEAN}`),
    },
    {
      name: 'a clean in the next RUN comes too late for this layer',
      code: lines(EL7, 'RUN yum install -y httpd', 'RUN yum clean all'),
      findings: [{ messageId: 'cacheLeft', line: 2, column: 5, endLine: 2, endColumn: 25 }],
      output: lines(EL7, `RUN yum install -y httpd && ${YUM_CLEAN}`, 'RUN yum clean all'),
    },
  ],
});

describe('yum-dnf-cache fixes', () => {
  it('gives every install in a RUN the same append, so fix-all adds the clean once', () => {
    const config = { rules: { 'yum-dnf-cache': ['warning', {}] as ['warning', Record<string, unknown>] } };
    const result = lint(lines(FEDORA, 'RUN dnf install -y gcc && dnf install -y make'), config, [rule]);
    const edits = result.findings.map((f) => JSON.stringify(f.fixes?.[0]?.edits));
    assert.equal(edits.length, 2);
    assert.equal(edits[0], edits[1]);
  });
});
